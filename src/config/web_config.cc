// LoadWebConfigFile/LoadWebConfigString: exporter-toolkit's web configuration -> WebConfig.
#include <modelwatch/config/web_config.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "config/yaml_reader.h"

namespace modelwatch::config {
namespace {

namespace fs = std::filesystem;
using internal::Context;
using internal::EnumName;
using internal::MapReader;

constexpr EnumName<TlsVersion> kTlsVersions[] = {{"TLS10", TlsVersion::kTls10},
                                                 {"TLS11", TlsVersion::kTls11},
                                                 {"TLS12", TlsVersion::kTls12},
                                                 {"TLS13", TlsVersion::kTls13}};

constexpr EnumName<ClientAuth> kClientAuths[] = {
    {"NoClientCert", ClientAuth::kNoClientCert},
    {"RequestClientCert", ClientAuth::kRequestClientCert},
    {"RequireAnyClientCert", ClientAuth::kRequireAnyClientCert},
    {"VerifyClientCertIfGiven", ClientAuth::kVerifyClientCertIfGiven},
    {"RequireAndVerifyClientCert", ClientAuth::kRequireAndVerifyClientCert}};

// Go's crypto/tls names of the TLS 1.2 suites it offers, and OpenSSL's names for them.
constexpr EnumName<std::string_view> kCipherSuites[] = {
    {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256"},
    {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256"},
    {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384"},
    {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384"},
    {"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305", "ECDHE-ECDSA-CHACHA20-POLY1305"},
    {"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305"},
    {"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305", "ECDHE-RSA-CHACHA20-POLY1305"},
    {"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305"},
    {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "ECDHE-ECDSA-AES128-SHA"},
    {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDHE-RSA-AES128-SHA"},
    {"TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "ECDHE-ECDSA-AES256-SHA"},
    {"TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "ECDHE-RSA-AES256-SHA"},
    {"TLS_RSA_WITH_AES_128_GCM_SHA256", "AES128-GCM-SHA256"},
    {"TLS_RSA_WITH_AES_256_GCM_SHA384", "AES256-GCM-SHA384"},
    {"TLS_RSA_WITH_AES_128_CBC_SHA", "AES128-SHA"},
    {"TLS_RSA_WITH_AES_256_CBC_SHA", "AES256-SHA"}};

constexpr EnumName<std::string_view> kCurves[] = {
    {"CurveP256", "P-256"}, {"CurveP384", "P-384"}, {"CurveP521", "P-521"}, {"X25519", "X25519"}};

// exporter-toolkit's extraHTTPHeaders: the only headers a web config may set, and for some the
// only values.
struct AllowedHeader {
  std::string_view name;
  std::vector<std::string_view> values;  // empty: any value
};
const AllowedHeader kAllowedHeaders[] = {{"Strict-Transport-Security", {}},
                                         {"X-Content-Type-Options", {"nosniff"}},
                                         {"X-Frame-Options", {"deny", "sameorigin"}},
                                         {"X-XSS-Protection", {}},
                                         {"Content-Security-Policy", {}}};

std::string Resolve(const fs::path& base, const std::string& p) {
  if (p.empty()) return p;
  fs::path path(p);
  if (path.is_relative()) path = base / path;
  return path.lexically_normal().string();
}

void Unsupported(const MapReader& r, std::string_view key, const std::string& instead) {
  if (r.Has(key)) r.Error(key, "not supported by modelwatch; " + instead);
}

// A list of names translated through `table`; unknown names are reported.
void NameList(const MapReader& r, std::string_view key,
              std::span<const EnumName<std::string_view>> table, std::vector<std::string>* out) {
  std::vector<std::string> names;
  if (!r.StringList(key, &names)) return;
  for (const std::string& name : names) {
    const EnumName<std::string_view>* found = nullptr;
    for (const auto& entry : table) {
      if (entry.name == name) found = &entry;
    }
    if (found == nullptr) {
      std::vector<std::string_view> listed;
      for (const auto& entry : table) listed.push_back(entry.name);
      r.Error(key, "unknown name " + internal::InvalidValue(name, listed));
      continue;
    }
    out->emplace_back(found->value);
  }
}

// False when neither cert_file nor key_file is given: plain HTTP, as exporter-toolkit does.
bool ParseTls(const MapReader& top, const fs::path& base, TlsServerConfig* t) {
  MapReader r(top.ctx(), top.Get("tls_server_config"), "tls_server_config",
              {"cert_file", "key_file", "cert", "key", "client_auth_type", "client_ca_file",
               "client_ca", "client_allowed_sans", "cipher_suites", "curve_preferences",
               "min_version", "max_version", "prefer_server_cipher_suites"});
  if (!r.ok()) return true;
  Unsupported(r, "cert", "write the certificate to a file and name it in cert_file");
  Unsupported(r, "key", "write the key to a file and name it in key_file");
  Unsupported(r, "client_ca", "write the CAs to a file and name it in client_ca_file");
  r.String("cert_file", &t->cert_file);
  r.String("key_file", &t->key_file);
  if (t->cert_file.empty() && t->key_file.empty()) {
    if (r.Has("client_auth_type") || r.Has("client_ca_file")) {
      r.Error("cert_file", "client certificates need TLS: set cert_file and key_file");
    }
    return false;
  }
  if (t->cert_file.empty()) r.Error("cert_file", "missing (key_file is set)");
  if (t->key_file.empty()) r.Error("key_file", "missing (cert_file is set)");
  t->cert_file = Resolve(base, t->cert_file);
  t->key_file = Resolve(base, t->key_file);
  r.Enum<ClientAuth>("client_auth_type", &t->client_auth_type, kClientAuths);
  if (r.String("client_ca_file", &t->client_ca_file)) {
    t->client_ca_file = Resolve(base, t->client_ca_file);
  }
  r.StringList("client_allowed_sans", &t->client_allowed_sans);
  NameList(r, "cipher_suites", kCipherSuites, &t->cipher_suites);
  NameList(r, "curve_preferences", kCurves, &t->curve_preferences);
  bool prefer_server = true;
  r.Bool("prefer_server_cipher_suites", &prefer_server);  // OpenSSL servers always prefer theirs

  if (r.Enum<TlsVersion>("min_version", &t->min_version, kTlsVersions) &&
      t->min_version < TlsVersion::kTls12) {
    r.Error("min_version", "TLS 1.0 and 1.1 are refused by modelwatch; use TLS12 or TLS13");
  }
  TlsVersion max = TlsVersion::kTls13;
  if (r.Enum<TlsVersion>("max_version", &max, kTlsVersions)) {
    t->max_version = max;
    if (max < t->min_version) r.Error("max_version", "is lower than min_version");
  }
  const bool verifies = t->client_auth_type == ClientAuth::kVerifyClientCertIfGiven ||
                        t->client_auth_type == ClientAuth::kRequireAndVerifyClientCert;
  if (verifies && t->client_ca_file.empty()) {
    r.Error("client_auth_type", "verifying client certificates needs client_ca_file");
  }
  if (!verifies && !t->client_ca_file.empty()) {
    r.Error("client_ca_file",
            "client CAs are configured but client_auth_type does not verify client "
            "certificates (VerifyClientCertIfGiven or RequireAndVerifyClientCert)");
  }
  if (!t->client_allowed_sans.empty() &&
      t->client_auth_type != ClientAuth::kRequireAndVerifyClientCert) {
    r.Error("client_allowed_sans", "needs client_auth_type RequireAndVerifyClientCert");
  }
  return true;
}

void ParseHttp(const MapReader& top, WebConfig* c) {
  MapReader r(top.ctx(), top.Get("http_server_config"), "http_server_config", {"http2", "headers"});
  if (!r.ok()) return;
  bool http2 = true;
  r.Bool("http2", &http2);  // modelwatch serves HTTP/1.1 only; either value is accepted
  if (!r.Has("headers")) return;
  YAML::Node headers = r.Get("headers");
  if (headers.IsNull()) return;
  if (!headers.IsMap()) {
    r.Error("headers", "expected a mapping of header name to value");
    return;
  }
  std::set<std::string> seen;
  for (const auto& entry : headers) {
    auto name = internal::AsString(entry.first);
    auto value = internal::AsString(entry.second);
    const YAML::Mark mark = entry.first.Mark();
    if (!name || !value) {
      top.ctx().errors->Add(mark, "http_server_config.headers: expected string names and values");
      continue;
    }
    const std::string where = "http_server_config.headers." + *name;
    const AllowedHeader* allowed = nullptr;
    for (const AllowedHeader& a : kAllowedHeaders) {
      if (a.name == *name) allowed = &a;
    }
    if (allowed == nullptr) {
      top.ctx().errors->Add(mark, where + ": HTTP header \"" + *name + "\" can not be configured");
      continue;
    }
    if (!seen.insert(*name).second) {
      top.ctx().errors->Add(mark, where + ": repeated");
      continue;
    }
    bool ok = allowed->values.empty();
    for (std::string_view v : allowed->values) ok = ok || v == *value;
    if (!ok) {
      top.ctx().errors->Add(
          entry.second.Mark(),
          where + ": invalid value " + internal::InvalidValue(*value, allowed->values));
      continue;
    }
    if (value->find_first_of("\r\n") != std::string::npos ||
        value->find('\0') != std::string::npos) {
      top.ctx().errors->Add(entry.second.Mark(), where + ": the value may not hold line breaks");
      continue;
    }
    c->headers.emplace_back(*name, *value);
  }
}

// bcrypt's shape: $2a$/$2b$/$2y$, a two-digit cost 04..31, 53 characters of salt and hash in
// bcrypt's base64 alphabet. The server also runs each through libcrypt before serving.
bool LooksLikeBcrypt(const std::string& h) {
  if (h.size() != 60 || h[0] != '$' || h[1] != '2' || h[3] != '$' || h[6] != '$') return false;
  if (h[2] != 'a' && h[2] != 'b' && h[2] != 'y') return false;
  if (h[4] < '0' || h[4] > '9' || h[5] < '0' || h[5] > '9') return false;
  const int cost = (h[4] - '0') * 10 + (h[5] - '0');
  if (cost < 4 || cost > 31) return false;
  for (std::size_t i = 7; i < h.size(); ++i) {
    const char ch = h[i];
    const bool alnum =
        (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
    if (!alnum && ch != '.' && ch != '/') return false;
  }
  return true;
}

void ParseUsers(const MapReader& top, WebConfig* c) {
  YAML::Node users = top.Get("basic_auth_users");
  if (users.IsNull()) return;
  if (!users.IsMap()) {
    top.Error("basic_auth_users", "expected a mapping of user name to bcrypt hash");
    return;
  }
  for (const auto& entry : users) {
    auto user = internal::AsString(entry.first);
    auto hash = internal::AsString(entry.second);
    if (!user || user->empty()) {
      top.ctx().errors->Add(entry.first.Mark(), "basic_auth_users: expected a user name");
      continue;
    }
    // The message names the user, never the hash (it is a secret too: CVE-2022-46146).
    const std::string where = "basic_auth_users." + *user;
    if (user->find(':') != std::string::npos) {
      top.ctx().errors->Add(entry.first.Mark(), where + ": a user name may not contain ':'");
      continue;
    }
    if (!hash || !LooksLikeBcrypt(*hash)) {
      top.ctx().errors->Add(entry.second.Mark(),
                            where +
                                ": not a bcrypt hash ($2a$, $2b$ or $2y$, cost 04-31, 60 "
                                "characters); make one with `htpasswd -nBC 10 \"\" | tr -d "
                                "':\\n'`");
      continue;
    }
    if (!c->basic_auth_users.emplace(*user, *hash).second) {
      top.ctx().errors->Add(entry.first.Mark(), where + ": repeated");
    }
  }
}

void Parse(const std::string& text, const fs::path& base, WebConfig* c,
           internal::ErrorSink* errors) {
  internal::MarkIndex marks;
  Context ctx{errors, &marks};
  YAML::Node root = YAML::Load(text);
  MapReader top(ctx, root, "",
                {"tls_server_config", "http_server_config", "basic_auth_users", "rate_limit"});
  if (!top.ok()) return;
  Unsupported(top, "rate_limit", "use max_concurrent_requests in the server section");
  if (top.Has("tls_server_config")) {
    c->tls.emplace();
    if (!ParseTls(top, base, &*c->tls)) c->tls.reset();
  }
  if (top.Has("http_server_config")) ParseHttp(top, c);
  if (top.Has("basic_auth_users")) ParseUsers(top, c);
}

}  // namespace

WebConfigResult LoadWebConfigString(const std::string& text, const std::string& file) {
  WebConfigResult result;
  internal::ErrorSink errors(file);
  WebConfig config;
  try {
    std::error_code ec;
    fs::path absolute = fs::absolute(fs::path(file), ec);
    if (ec) absolute = fs::path(file);
    config.file = absolute.lexically_normal().string();
    Parse(text, absolute.parent_path(), &config, &errors);
  } catch (const YAML::Exception& e) {
    errors.Add(e.mark, "invalid YAML: " + e.msg);
  } catch (const std::exception& e) {
    errors.Add(YAML::Mark::null_mark(), std::string("cannot load web configuration: ") + e.what());
  }
  result.errors = errors.Take();
  if (result.errors.empty()) result.config = std::move(config);
  return result;
}

WebConfigResult LoadWebConfigFile(const std::string& path) {
  auto fail = [&](int err) {
    WebConfigResult r;
    r.errors.push_back({path, 0, 0, std::string("cannot read file: ") + std::strerror(err)});
    return r;
  };
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return fail(errno);
  std::string text;
  char buf[16384];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
  const int err = std::ferror(f) ? errno : 0;
  std::fclose(f);
  if (err != 0) return fail(err);
  return LoadWebConfigString(text, path);
}

}  // namespace modelwatch::config
