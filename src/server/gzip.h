// Content coding for /metrics: Accept-Encoding negotiation and gzip (zlib) compression.
#ifndef MODELWATCH_SERVER_GZIP_H_
#define MODELWATCH_SERVER_GZIP_H_

#include <string>
#include <string_view>

#include <modelwatch/core/status.h>

namespace modelwatch::server {

// True when an Accept-Encoding field value admits gzip (RFC 9110 §12.5.3): "gzip" or "x-gzip"
// with q > 0, or "*" with q > 0 when gzip is not named. Case-insensitive; malformed q = refused.
bool AcceptsGzip(std::string_view accept_encoding);

// One gzip member (RFC 1952) holding `input`. Fast compression level: scrapes have a latency
// budget (performance.md) and expositions compress well at any level.
Result<std::string> GzipCompress(std::string_view input);

}  // namespace modelwatch::server

#endif  // MODELWATCH_SERVER_GZIP_H_
