// Text transformations of the shaped parser (log shapes, issue #8): decoding embedded payloads
// and repairing Python's NaN literals. Pure functions; outputs go into caller-owned strings that
// are reused from line to line, so a warm parser does not allocate.
#ifndef MODELWATCH_PARSE_TEXT_CODECS_H_
#define MODELWATCH_PARSE_TEXT_CODECS_H_

#include <string>
#include <string_view>

namespace modelwatch::parse {

// RFC 4648 base64 (standard or URL-safe alphabet, padding optional, whitespace ignored) into
// *out. False on any other byte or a dangling single character.
bool Base64Decode(std::string_view in, std::string* out);

// CSV (RFC 4180: quoted cells with "" escapes; LF or CRLF rows; a final newline ignored) into a
// JSON array of rows, each an array of cells: a cell that is a JSON number stays a number, any
// other cell becomes a JSON string. Blank rows are skipped. Appends to *out.
void CsvToJson(std::string_view csv, std::string* out);

// QuoteNanLiterals is public: <modelwatch/parse/record_parser.h>.

// Content type says CSV ("text/csv; charset=utf-8")?
bool IsCsvContentType(std::string_view content_type);

}  // namespace modelwatch::parse

#endif  // MODELWATCH_PARSE_TEXT_CODECS_H_
