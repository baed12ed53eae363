// The web configuration file of `server.web_config_file` / `--web.config.file`, in
// exporter-toolkit's format (prometheus/exporter-toolkit docs/web-configuration.md): TLS, bcrypt
// basic auth and extra response headers. A file written for node_exporter loads here unchanged,
// except for the few keys listed in docs/configuration.md ("Web configuration") that are refused
// with a clear message rather than silently ignored.
//
// This is the syntax layer: keys, types, enum values, header names and values, relative paths.
// Whether the files exist, the key matches the certificate and the hashes are valid bcrypt is
// checked by the server when it starts (server::WebSecurity), so that error names the file too.
#ifndef MODELWATCH_CONFIG_WEB_CONFIG_H_
#define MODELWATCH_CONFIG_WEB_CONFIG_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <modelwatch/config/config.h>

namespace modelwatch::config {

enum class TlsVersion { kTls10, kTls11, kTls12, kTls13 };

// Go's tls.ClientAuthType names, as exporter-toolkit spells them.
enum class ClientAuth {
  kNoClientCert,
  kRequestClientCert,
  kRequireAnyClientCert,
  kVerifyClientCertIfGiven,
  kRequireAndVerifyClientCert,
};

struct TlsServerConfig {
  std::string cert_file;  // PEM, absolute (resolved against the web config's directory)
  std::string key_file;
  ClientAuth client_auth_type = ClientAuth::kNoClientCert;
  std::string client_ca_file;                    // empty: none
  std::vector<std::string> client_allowed_sans;  // empty: any verified client certificate
  TlsVersion min_version = TlsVersion::kTls12;
  std::optional<TlsVersion> max_version;  // empty: the newest the library has
  // OpenSSL names of the TLS 1.2 suites (translated from Go's names); empty: OpenSSL's
  // defaults. TLS 1.3 suites are not configurable (as in Go).
  std::vector<std::string> cipher_suites;
  std::vector<std::string> curve_preferences;  // OpenSSL group names ("P-256", "X25519")
};

struct WebConfig {
  std::string file;  // absolute path of the web config itself
  std::optional<TlsServerConfig> tls;
  // user -> bcrypt hash ("$2y$10$..."), in file order by user name.
  std::map<std::string, std::string> basic_auth_users;
  // Extra response headers (name as written, value), validated like exporter-toolkit's.
  std::vector<std::pair<std::string, std::string>> headers;
};

struct WebConfigResult {
  std::optional<WebConfig> config;  // set when errors is empty
  std::vector<ConfigError> errors;
};

WebConfigResult LoadWebConfigFile(const std::string& path);
// The same from text; `file` names it in messages and anchors relative paths.
WebConfigResult LoadWebConfigString(const std::string& text, const std::string& file);

}  // namespace modelwatch::config

#endif  // MODELWATCH_CONFIG_WEB_CONFIG_H_
