#include "server/tls_context.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace modelwatch::server {
namespace {

namespace ssl = boost::asio::ssl;
using config::ClientAuth;
using config::TlsVersion;

int ProtocolVersion(TlsVersion v) {
  switch (v) {
    case TlsVersion::kTls10:
      return TLS1_VERSION;
    case TlsVersion::kTls11:
      return TLS1_1_VERSION;
    case TlsVersion::kTls12:
      return TLS1_2_VERSION;
    case TlsVersion::kTls13:
      return TLS1_3_VERSION;
  }
  return TLS1_2_VERSION;
}

// OpenSSL's reasons queued on this thread, "; "-joined, and the queue cleared.
std::string OpenSslErrors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? std::string("unknown error") : out;
}

Status Fail(const std::string& what, const std::string& file) {
  return Status::Error("tls_server_config: " + what + " " + file + ": " + OpenSslErrors());
}

// The subject alternative names of `cert` as Go prints them (DNS, e-mail, IP, URI).
std::vector<std::string> SubjectAltNames(X509* cert) {
  std::vector<std::string> out;
  auto* names =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (names == nullptr) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type == GEN_DNS || name->type == GEN_EMAIL || name->type == GEN_URI) {
      const ASN1_IA5STRING* s = name->d.ia5;
      out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                       static_cast<std::size_t>(ASN1_STRING_length(s)));
    } else if (name->type == GEN_IPADD) {
      const ASN1_OCTET_STRING* ip = name->d.iPAddress;
      char text[INET6_ADDRSTRLEN] = {};
      const int len = ASN1_STRING_length(ip);
      const int family = len == 4 ? AF_INET : len == 16 ? AF_INET6 : 0;
      if (family != 0 && inet_ntop(family, ASN1_STRING_get0_data(ip), text, sizeof text)) {
        out.emplace_back(text);
      }
    }
  }
  GENERAL_NAMES_free(names);
  return out;
}

void SetClientAuth(ssl::context& ctx, const config::TlsServerConfig& config) {
  const ClientAuth mode = config.client_auth_type;
  if (mode == ClientAuth::kNoClientCert) {
    ctx.set_verify_mode(ssl::verify_none);
    return;
  }
  ssl::verify_mode flags = ssl::verify_peer;
  if (mode == ClientAuth::kRequireAnyClientCert ||
      mode == ClientAuth::kRequireAndVerifyClientCert) {
    flags |= ssl::verify_fail_if_no_peer_cert;
  }
  ctx.set_verify_mode(flags);
  const bool verify = mode == ClientAuth::kVerifyClientCertIfGiven ||
                      mode == ClientAuth::kRequireAndVerifyClientCert;
  std::vector<std::string> allowed = config.client_allowed_sans;
  ctx.set_verify_callback([verify, allowed](bool preverified, ssl::verify_context& vc) {
    if (!verify) return true;  // Request/RequireAny: a certificate is asked for, not checked
    if (!preverified) return false;
    X509_STORE_CTX* store = vc.native_handle();
    if (allowed.empty() || X509_STORE_CTX_get_error_depth(store) != 0) return true;
    for (const std::string& san : SubjectAltNames(X509_STORE_CTX_get_current_cert(store))) {
      if (std::find(allowed.begin(), allowed.end(), san) != allowed.end()) return true;
    }
    X509_STORE_CTX_set_error(store, X509_V_ERR_APPLICATION_VERIFICATION);
    return false;
  });
}

}  // namespace

Result<std::shared_ptr<ssl::context>> BuildTlsContext(const config::TlsServerConfig& config) {
  ERR_clear_error();
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();
  // Explicit, whatever the system OpenSSL configuration allows: the floor is ours to keep.
  SSL_CTX_set_min_proto_version(native, ProtocolVersion(config.min_version));
  SSL_CTX_set_max_proto_version(native,
                                config.max_version ? ProtocolVersion(*config.max_version) : 0);
  SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                                  SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_TICKET);
  SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_OFF);
  if (!config.cipher_suites.empty()) {
    std::string list;
    for (const std::string& c : config.cipher_suites) list += (list.empty() ? "" : ":") + c;
    if (SSL_CTX_set_cipher_list(native, list.c_str()) != 1) {
      return Fail("cipher_suites", "(" + list + ")");
    }
  }
  if (!config.curve_preferences.empty()) {
    std::string list;
    for (const std::string& c : config.curve_preferences) list += (list.empty() ? "" : ":") + c;
    if (SSL_CTX_set1_groups_list(native, list.c_str()) != 1) {
      return Fail("curve_preferences", "(" + list + ")");
    }
  }
  if (SSL_CTX_use_certificate_chain_file(native, config.cert_file.c_str()) != 1) {
    return Fail("cannot load certificate", config.cert_file);
  }
  if (SSL_CTX_use_PrivateKey_file(native, config.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return Fail("cannot load key", config.key_file);
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    return Fail("the key does not match the certificate", config.key_file);
  }
  if (!config.client_ca_file.empty()) {
    if (SSL_CTX_load_verify_locations(native, config.client_ca_file.c_str(), nullptr) != 1) {
      return Fail("cannot load client CAs", config.client_ca_file);
    }
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(config.client_ca_file.c_str());
    if (names == nullptr) return Fail("no certificate in", config.client_ca_file);
    SSL_CTX_set_client_CA_list(native, names);
  }
  SetClientAuth(*ctx, config);
  return ctx;
}

Result<std::unique_ptr<TlsContextSource>> TlsContextSource::Create(config::TlsServerConfig config) {
  std::unique_ptr<TlsContextSource> source(new TlsContextSource(std::move(config)));
  source->stamps_ = source->Stamps();
  Result<std::shared_ptr<ssl::context>> ctx = BuildTlsContext(source->config_);
  if (!ctx.ok()) return ctx.status();
  source->context_ = std::move(ctx).value();
  return source;
}

std::vector<TlsContextSource::Stamp> TlsContextSource::Stamps() const {
  std::vector<Stamp> out;
  for (const std::string* path : {&config_.cert_file, &config_.key_file, &config_.client_ca_file}) {
    Stamp s;
    struct stat st;
    if (!path->empty() && ::stat(path->c_str(), &st) == 0) {
      s.inode = st.st_ino;
      s.size = static_cast<uint64_t>(st.st_size);
      s.mtime_ns = int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec;
    }
    out.push_back(s);
  }
  return out;
}

std::shared_ptr<ssl::context> TlsContextSource::Current() {
  std::vector<Stamp> now = Stamps();
  std::lock_guard<std::mutex> lock(mu_);
  if (now == stamps_) return context_;
  stamps_ = now;  // a failed rebuild is retried when the files change again
  Result<std::shared_ptr<ssl::context>> ctx = BuildTlsContext(config_);
  if (ctx.ok()) {
    context_ = std::move(ctx).value();
    reloads_.fetch_add(1, std::memory_order_relaxed);
    last_error_.clear();
  } else {
    reload_errors_.fetch_add(1, std::memory_order_relaxed);
    last_error_ = ctx.status().message();
  }
  return context_;
}

std::string TlsContextSource::last_error() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_error_;
}

}  // namespace modelwatch::server
