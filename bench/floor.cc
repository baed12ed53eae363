// mw_floor: the unavoidable part of modelwatch's work on a prediction log (performance.md,
// "The floor"), and nothing else. Reads FILE in 4 MiB chunks, splits lines with memchr, parses
// each line on its own with simdjson On-Demand (a malformed line cannot take the next ones with
// it), converts the RFC 3339 /ts by hand and reads every field under /inputs and /outputs
// (numbers as double, strings as string_view). A checksum keeps the work from being optimised
// away.
//   mw_floor FILE
#include <simdjson.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string_view>

namespace {

constexpr std::size_t kChunk = 4u << 20;

int Digits(const char* p, int n, bool* ok) {
  int v = 0;
  for (int i = 0; i < n; ++i) {
    unsigned d = static_cast<unsigned char>(p[i]) - '0';
    if (d > 9) *ok = false;
    v = v * 10 + static_cast<int>(d);
  }
  return v;
}

std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {  // H. Hinnant
  y -= m <= 2;
  std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = static_cast<unsigned>(y - era * 400);
  unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// "YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)" -> epoch seconds; false if malformed.
bool ParseRfc3339(std::string_view s, double* out) {
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' ||
      (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' || s[16] != ':') {
    return false;
  }
  bool ok = true;
  const char* p = s.data();
  int year = Digits(p, 4, &ok), month = Digits(p + 5, 2, &ok), day = Digits(p + 8, 2, &ok);
  int hour = Digits(p + 11, 2, &ok), minute = Digits(p + 14, 2, &ok), sec = Digits(p + 17, 2, &ok);
  std::size_t i = 19;
  double frac = 0, scale = 0.1;
  if (i < s.size() && s[i] == '.') {
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, scale *= 0.1) {
      frac += (s[i] - '0') * scale;
    }
  }
  int offset = 0;
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
    ++i;
  } else if (i + 6 == s.size() && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
    offset = (Digits(p + i + 1, 2, &ok) * 60 + Digits(p + i + 4, 2, &ok)) * 60;
    if (s[i] == '-') offset = -offset;
    i += 6;
  } else {
    return false;
  }
  if (!ok || i != s.size() || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 ||
      minute > 59 || sec > 60) {
    return false;
  }
  std::int64_t days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  *out = static_cast<double>(days * 86400 + hour * 3600 + minute * 60 + sec - offset) + frac;
  return true;
}

struct Totals {
  std::uint64_t lines = 0, bad = 0, values = 0;
  double checksum = 0;
};

// Every value of an object: numbers as double, strings as string_view.
simdjson::error_code ReadObject(simdjson::ondemand::value v, Totals* t) {
  simdjson::ondemand::object obj;
  if (auto e = v.get_object().get(obj)) return e;
  for (auto field : obj) {
    simdjson::ondemand::value val;
    if (auto e = field.value().get(val)) return e;
    simdjson::ondemand::json_type type;
    if (auto e = val.type().get(type)) return e;
    if (type == simdjson::ondemand::json_type::number) {
      double d;
      if (auto e = val.get_double().get(d)) return e;
      t->checksum += d;
    } else if (type == simdjson::ondemand::json_type::string) {
      std::string_view sv;
      if (auto e = val.get_string().get(sv)) return e;
      t->checksum += static_cast<double>(sv.size() + static_cast<unsigned char>(sv[0]));
    }
    ++t->values;
  }
  return simdjson::SUCCESS;
}

bool ParseLine(simdjson::ondemand::parser& parser, const char* p, std::size_t len,
               std::size_t capacity, Totals* t) {
  simdjson::ondemand::document doc;
  if (parser.iterate(p, len, capacity).get(doc)) return false;
  simdjson::ondemand::object root;
  if (doc.get_object().get(root)) return false;
  bool have_ts = false;
  for (auto field : root) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return false;
    if (key == "ts") {
      std::string_view ts;
      double when;
      if (field.value().get_string().get(ts) || !ParseRfc3339(ts, &when)) return false;
      t->checksum += when * 1e-9;
      have_ts = true;
    } else if (key == "inputs" || key == "outputs") {
      simdjson::ondemand::value v;
      if (field.value().get(v) || ReadObject(v, t)) return false;
    }
  }
  return have_ts;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: mw_floor FILE\n");
    return 2;
  }
  std::FILE* f = std::fopen(argv[1], "rb");
  if (!f) {
    std::perror(argv[1]);
    return 1;
  }
  const std::size_t capacity = kChunk + simdjson::SIMDJSON_PADDING;
  std::unique_ptr<char[]> buf(new char[capacity]);
  std::memset(buf.get(), 0, capacity);
  simdjson::ondemand::parser parser;
  Totals t;
  std::uint64_t bytes = 0;
  std::size_t held = 0;  // bytes of an unfinished line kept at the front of buf
  auto start = std::chrono::steady_clock::now();
  for (;;) {
    std::size_t n = std::fread(buf.get() + held, 1, kChunk - held, f);
    bytes += n;
    std::size_t end = held + n;
    bool eof = n == 0;
    const char* p = buf.get();
    const char* stop = buf.get() + end;
    while (p < stop) {
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', stop - p));
      if (!nl) {
        if (!eof) break;
        nl = stop;  // a last line without '\n'
      }
      std::size_t len = nl - p;
      if (len > 0) {
        ++t.lines;
        if (!ParseLine(parser, p, len, capacity - (p - buf.get()), &t)) ++t.bad;
      }
      p = nl + 1;
    }
    if (eof) break;
    held = p < stop ? static_cast<std::size_t>(stop - p) : 0;
    if (held == kChunk) {  // a line longer than a chunk: skip it (the floor does not handle it)
      ++t.bad;
      held = 0;
    }
    std::memmove(buf.get(), p, held);
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fclose(f);
  std::printf("lines %llu bad %llu values %llu seconds %.3f lines/s %.0f MB/s %.1f checksum %.6g\n",
              static_cast<unsigned long long>(t.lines), static_cast<unsigned long long>(t.bad),
              static_cast<unsigned long long>(t.values), seconds, t.lines / seconds,
              bytes / seconds / 1e6, t.checksum);
  return 0;
}
