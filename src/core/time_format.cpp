#include "core/time_format.h"

#include <chrono>
#include <cstdio>

namespace codecrew::core {
namespace {

bool readInt(std::string_view s, size_t pos, size_t len, int& out) {
  if (pos + len > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + len; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

}  // namespace

std::string formatIso8601(Millis t) {
  using namespace std::chrono;
  auto tp = sys_time<milliseconds>(milliseconds(t));
  auto day = floor<days>(tp);
  year_month_day ymd{day};
  hh_mm_ss<milliseconds> hms{tp - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ld.%03ldZ", int(ymd.year()), unsigned(ymd.month()),
                unsigned(ymd.day()), long(hms.hours().count()), long(hms.minutes().count()),
                long(hms.seconds().count()), long(hms.subseconds().count()));
  return buf;
}

std::optional<Millis> parseIso8601(std::string_view s) {
  using namespace std::chrono;
  int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0;
  if (!readInt(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !readInt(s, 5, 2, mo) || s[7] != '-' ||
      !readInt(s, 8, 2, d))
    return std::nullopt;
  size_t pos = 10;
  int offsetMinutes = 0;
  if (pos < s.size()) {
    if (s[pos] != 'T' && s[pos] != ' ') return std::nullopt;
    if (!readInt(s, pos + 1, 2, h) || s.size() < pos + 9 || s[pos + 3] != ':' || !readInt(s, pos + 4, 2, mi) ||
        s[pos + 6] != ':' || !readInt(s, pos + 7, 2, sec))
      return std::nullopt;
    pos += 9;
    if (pos < s.size() && s[pos] == '.') {
      size_t start = ++pos;
      int digits = 0;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        if (digits < 3) ms = ms * 10 + (s[pos] - '0');
        ++digits;
        ++pos;
      }
      if (pos == start) return std::nullopt;
      for (; digits < 3; ++digits) ms *= 10;
    }
    if (pos < s.size()) {
      if (s[pos] == 'Z' && pos + 1 == s.size()) {
        pos++;
      } else if ((s[pos] == '+' || s[pos] == '-') && s.size() == pos + 6 && s[pos + 3] == ':') {
        int oh, om;
        if (!readInt(s, pos + 1, 2, oh) || !readInt(s, pos + 4, 2, om)) return std::nullopt;
        offsetMinutes = (oh * 60 + om) * (s[pos] == '+' ? 1 : -1);
        pos += 6;
      } else {
        return std::nullopt;
      }
    }
  }
  if (pos != s.size()) return std::nullopt;
  year_month_day ymd{year(y), month(unsigned(mo)), day(unsigned(d))};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  auto tp = sys_days(ymd) + hours(h) + minutes(mi) + seconds(sec) + milliseconds(ms) - minutes(offsetMinutes);
  return duration_cast<milliseconds>(tp.time_since_epoch()).count();
}

}  // namespace codecrew::core
