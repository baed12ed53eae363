#include "parse/text_codecs.h"

#include <cstdint>

#include <modelwatch/parse/record_parser.h>

#include "parse/json_text.h"

namespace modelwatch::parse {
namespace {

int Base64Value(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

void AppendCell(std::string_view cell, bool quoted, std::string* out) {
  if (!quoted && !cell.empty() && IsJsonNumber(cell) && cell.back() != ' ') {
    out->append(cell);
    return;
  }
  out->push_back('"');
  for (char c : cell) {
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static const char kHex[] = "0123456789abcdef";
          out->append("\\u00");
          out->push_back(kHex[(c >> 4) & 0xF]);
          out->push_back(kHex[c & 0xF]);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

bool IsWordByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

bool Base64Decode(std::string_view in, std::string* out) {
  out->clear();
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t symbols = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(in[i]);
    if (c == '=') break;
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    const int v = Base64Value(c);
    if (v < 0) return false;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    ++symbols;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return symbols % 4 != 1;
}

void CsvToJson(std::string_view csv, std::string* out) {
  out->push_back('[');
  bool first_row = true;
  std::size_t i = 0;
  std::string cell;
  while (i < csv.size()) {
    // One row.
    const std::size_t row_start = out->size();
    out->append(first_row ? "[" : ",[");
    bool first_cell = true, blank = true;
    for (;;) {
      cell.clear();
      bool quoted = false;
      if (i < csv.size() && csv[i] == '"') {
        quoted = true;
        ++i;
        while (i < csv.size()) {
          if (csv[i] == '"') {
            if (i + 1 < csv.size() && csv[i + 1] == '"') {
              cell.push_back('"');
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          cell.push_back(csv[i++]);
        }
      }
      while (i < csv.size() && csv[i] != ',' && csv[i] != '\n' && csv[i] != '\r') {
        cell.push_back(csv[i++]);
      }
      if (!cell.empty() || quoted) blank = false;
      if (!first_cell) out->push_back(',');
      first_cell = false;
      AppendCell(cell, quoted, out);
      if (i < csv.size() && csv[i] == ',') {
        blank = false;
        ++i;
        continue;
      }
      break;
    }
    if (i < csv.size() && csv[i] == '\r') ++i;
    if (i < csv.size() && csv[i] == '\n') ++i;
    if (blank) {
      out->resize(row_start);
      continue;
    }
    out->push_back(']');
    first_row = false;
  }
  out->push_back(']');
}

bool QuoteNanLiterals(std::string_view in, std::string* out) {
  out->clear();
  bool changed = false, in_string = false;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (in_string) {
      out->push_back(c);
      if (c == '\\' && i + 1 < in.size()) {
        out->push_back(in[++i]);
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      out->push_back(c);
      continue;
    }
    const bool boundary = i == 0 || !IsWordByte(in[i - 1]);
    std::string_view word;
    for (std::string_view w :
         {std::string_view("-Infinity"), std::string_view("Infinity"), std::string_view("NaN")}) {
      if (boundary && in.substr(i, w.size()) == w &&
          (i + w.size() == in.size() || !IsWordByte(in[i + w.size()]))) {
        word = w;
        break;
      }
    }
    if (word.empty()) {
      out->push_back(c);
      continue;
    }
    out->push_back('"');
    out->append(word);
    out->push_back('"');
    i += word.size() - 1;
    changed = true;
  }
  return changed;
}

bool IsCsvContentType(std::string_view ct) {
  const std::size_t semi = ct.find(';');
  ct = ct.substr(0, semi);
  while (!ct.empty() && ct.back() == ' ') ct.remove_suffix(1);
  auto lower_eq = [](std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      char x = a[i];
      if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
      if (x != b[i]) return false;
    }
    return true;
  };
  return lower_eq(ct, "text/csv");
}

}  // namespace modelwatch::parse
