// The web config file (exporter-toolkit's format): what loads, what is refused and how.
#include <modelwatch/config/web_config.h>

#include <gtest/gtest.h>

#include <string>

namespace modelwatch::config {
namespace {

const std::string kHash = "$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi";

WebConfigResult Load(const std::string& text) {
  return LoadWebConfigString(text, "/etc/mw/web.yml");
}

std::string Errors(const WebConfigResult& r) {
  std::string out;
  for (const ConfigError& e : r.errors) out += e.ToString() + "\n";
  return out;
}

TEST(WebConfigTest, ReadsEverySection) {
  WebConfigResult r = Load(
      "tls_server_config:\n"
      "  cert_file: tls/server.crt\n"
      "  key_file: /abs/server.key\n"
      "  client_auth_type: RequireAndVerifyClientCert\n"
      "  client_ca_file: ca.crt\n"
      "  client_allowed_sans: [prometheus.example.com]\n"
      "  min_version: TLS13\n"
      "  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]\n"
      "  curve_preferences: [X25519, CurveP256]\n"
      "basic_auth_users:\n"
      "  prometheus: " +
      kHash +
      "\n"
      "http_server_config:\n"
      "  http2: false\n"
      "  headers: { X-Frame-Options: deny }\n");
  ASSERT_TRUE(r.config) << Errors(r);
  const WebConfig& c = *r.config;
  ASSERT_TRUE(c.tls);
  EXPECT_EQ(c.tls->cert_file, "/etc/mw/tls/server.crt");
  EXPECT_EQ(c.tls->key_file, "/abs/server.key");
  EXPECT_EQ(c.tls->client_ca_file, "/etc/mw/ca.crt");
  EXPECT_EQ(c.tls->client_auth_type, ClientAuth::kRequireAndVerifyClientCert);
  EXPECT_EQ(c.tls->min_version, TlsVersion::kTls13);
  EXPECT_EQ(c.tls->cipher_suites, std::vector<std::string>{"ECDHE-RSA-AES128-GCM-SHA256"});
  EXPECT_EQ(c.tls->curve_preferences, (std::vector<std::string>{"X25519", "P-256"}));
  EXPECT_EQ(c.basic_auth_users.at("prometheus"), kHash);
  ASSERT_EQ(c.headers.size(), 1u);
  EXPECT_EQ(c.headers[0].second, "deny");
}

TEST(WebConfigTest, DefaultsAreTls12AndNoClientCert) {
  WebConfigResult r = Load("tls_server_config: { cert_file: a.crt, key_file: a.key }\n");
  ASSERT_TRUE(r.config) << Errors(r);
  EXPECT_EQ(r.config->tls->min_version, TlsVersion::kTls12);
  EXPECT_FALSE(r.config->tls->max_version);
  EXPECT_EQ(r.config->tls->client_auth_type, ClientAuth::kNoClientCert);
}

TEST(WebConfigTest, EmptyFileOrTlsSectionMeansPlainHttp) {
  WebConfigResult empty = Load("");
  ASSERT_TRUE(empty.config) << Errors(empty);
  EXPECT_FALSE(empty.config->tls);
  WebConfigResult no_files = Load("tls_server_config: {}\n");
  ASSERT_TRUE(no_files.config) << Errors(no_files);
  EXPECT_FALSE(no_files.config->tls);
}

TEST(WebConfigTest, OldTlsVersionsAreRefused) {
  WebConfigResult r =
      Load("tls_server_config: { cert_file: a, key_file: b, min_version: TLS11 }\n");
  EXPECT_FALSE(r.config);
  EXPECT_NE(Errors(r).find("web.yml:1:"), std::string::npos) << Errors(r);
  EXPECT_NE(Errors(r).find("TLS 1.0 and 1.1 are refused"), std::string::npos) << Errors(r);
}

TEST(WebConfigTest, ProblemsAreReportedAtTheirLine) {
  WebConfigResult r = Load(
      "tls_server_config:\n"
      "  cert_file: a.crt\n"             // 2: key_file missing
      "  client_auth_type: Sometimes\n"  // 3
      "basic_auth_users:\n"
      "  alice: plaintext-password\n"  // 5
      "http_server_config:\n"
      "  headers:\n"
      "    Server: modelwatch\n"             // 8
      "    X-Content-Type-Options: sniff\n"  // 9
      "unknown_section: 1\n");               // 10
  EXPECT_FALSE(r.config);
  const std::string e = Errors(r);
  EXPECT_NE(e.find("key_file: missing"), std::string::npos) << e;
  EXPECT_NE(e.find(":3:21: tls_server_config.client_auth_type: invalid value"), std::string::npos)
      << e;
  EXPECT_NE(e.find(":5:10: basic_auth_users.alice: not a bcrypt hash"), std::string::npos) << e;
  EXPECT_EQ(e.find("plaintext-password"), std::string::npos) << "a secret in a message: " << e;
  EXPECT_NE(e.find(":8:5: http_server_config.headers.Server: HTTP header \"Server\" can not be"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find(":9:"), std::string::npos) << e;
  EXPECT_NE(e.find(":10:1:"), std::string::npos) << e;
}

TEST(WebConfigTest, ClientCaRulesFollowExporterToolkit) {
  EXPECT_FALSE(Load("tls_server_config: { cert_file: a, key_file: b, client_auth_type: "
                    "RequireAndVerifyClientCert }\n")
                   .config);
  EXPECT_FALSE(
      Load("tls_server_config: { cert_file: a, key_file: b, client_ca_file: ca.crt }\n").config);
  EXPECT_FALSE(Load("tls_server_config: { cert_file: a, key_file: b, client_auth_type: "
                    "VerifyClientCertIfGiven, client_ca_file: c, client_allowed_sans: [x] }\n")
                   .config);
}

TEST(WebConfigTest, UnsupportedKeysSayWhatToDoInstead) {
  WebConfigResult r = Load(
      "tls_server_config: { cert: '-----BEGIN', key_file: b }\n"
      "rate_limit: { interval: 1s, burst: 10 }\n");
  EXPECT_FALSE(r.config);
  EXPECT_NE(Errors(r).find("cert_file"), std::string::npos) << Errors(r);
  EXPECT_NE(Errors(r).find("max_concurrent_requests"), std::string::npos) << Errors(r);
}

TEST(WebConfigTest, TheShippedExampleLoads) {
  WebConfigResult r =
      LoadWebConfigFile(std::string(MODELWATCH_SOURCE_DIR) + "/config/web-config.example.yml");
  ASSERT_TRUE(r.config) << Errors(r);
  EXPECT_TRUE(r.config->tls);
  EXPECT_EQ(r.config->basic_auth_users.size(), 1u);
}

}  // namespace
}  // namespace modelwatch::config
