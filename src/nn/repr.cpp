// Python-style formatting of layer settings (repr.h).
#include "repr.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace ember::nn::detail {

std::string py_float(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  // Shortest round-trip digits in scientific form ("d.ddde+XX"), then laid
  // out by Python's rule (float_repr_style 'short').
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string s(buf, res.ptr);
  size_t e = s.find('e');
  std::string mantissa = s.substr(0, e);
  int exp = std::atoi(s.c_str() + e + 1);
  bool negative = mantissa[0] == '-';
  std::string digits;
  for (char c : mantissa)
    if (c >= '0' && c <= '9') digits += c;
  std::string out;
  if (exp < -4 || exp >= 16) {
    out = digits.substr(0, 1);
    if (digits.size() > 1) out.append(1, '.').append(digits, 1);
    char ebuf[16];
    std::snprintf(ebuf, sizeof ebuf, "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
    out += ebuf;
  } else if (exp < 0) {
    out.append("0.").append(size_t(-exp - 1), '0').append(digits);
  } else if (digits.size() <= size_t(exp) + 1) {
    out.append(digits).append(size_t(exp) + 1 - digits.size(), '0').append(".0");
  } else {
    out.append(digits, 0, size_t(exp) + 1).append(1, '.').append(digits, size_t(exp) + 1);
  }
  return negative ? std::string("-").append(out) : out;
}

std::string py_tuple(const DimVector& v) {
  std::string out = "(";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + std::to_string(v[i]);
  return out + (v.size() == 1 ? ",)" : ")");
}

}  // namespace ember::nn::detail
