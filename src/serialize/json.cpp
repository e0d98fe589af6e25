#include "json.h"

#include <charconv>
#include <cmath>
#include <cstring>

#include "ember/core/error.h"

namespace ember::json {

Json Json::boolean(bool v) {
  Json j;
  j.type = Type::Bool;
  j.b = v;
  return j;
}

Json Json::integer(int64_t v) {
  Json j;
  j.type = Type::Int;
  j.i = v;
  return j;
}

Json Json::number(double v) {
  Json j;
  j.type = Type::Float;
  j.f = v;
  return j;
}

Json Json::string(std::string v) {
  Json j;
  j.type = Type::String;
  j.s = std::move(v);
  return j;
}

Json Json::array(std::vector<Json> v) {
  Json j;
  j.type = Type::Array;
  j.items = std::move(v);
  return j;
}

Json Json::object() {
  Json j;
  j.type = Type::Object;
  return j;
}

void Json::add(std::string key, Json value) {
  keys.push_back(std::move(key));
  values.push_back(std::move(value));
}

const Json* Json::find(std::string_view key) const {
  for (size_t k = 0; k < keys.size(); ++k) {
    if (keys[k] == key) return &values[k];
  }
  return nullptr;
}

const char* type_name(Json::Type t) {
  switch (t) {
    case Json::Type::Null: return "null";
    case Json::Type::Bool: return "boolean";
    case Json::Type::Int: return "integer";
    case Json::Type::Float: return "number";
    case Json::Type::String: return "string";
    case Json::Type::Array: return "array";
    case Json::Type::Object: return "object";
  }
  return "?";
}

// ---------------------------------------------------------------- writer

namespace {

void write_string(std::string_view s, std::string& out) {
  static const char* kHex = "0123456789abcdef";
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += static_cast<char>(c);  // UTF-8 passes through unchanged
        }
    }
  }
  out += '"';
}

void write_float(double v, std::string& out) {
  EMBER_CHECK(std::isfinite(v), ValueError, "[json] cannot write the non-finite number ", v);
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  std::string_view text(buf, static_cast<size_t>(res.ptr - buf));
  out += text;
  if (text.find_first_of(".eE") == std::string_view::npos) out += ".0";
}

}  // namespace

void write(const Json& j, std::string& out) {
  switch (j.type) {
    case Json::Type::Null: out += "null"; break;
    case Json::Type::Bool: out += j.b ? "true" : "false"; break;
    case Json::Type::Int: out += std::to_string(j.i); break;
    case Json::Type::Float: write_float(j.f, out); break;
    case Json::Type::String: write_string(j.s, out); break;
    case Json::Type::Array:
      out += '[';
      for (size_t k = 0; k < j.items.size(); ++k) {
        if (k) out += ',';
        write(j.items[k], out);
      }
      out += ']';
      break;
    case Json::Type::Object:
      out += '{';
      for (size_t k = 0; k < j.keys.size(); ++k) {
        if (k) out += ',';
        write_string(j.keys[k], out);
        out += ':';
        write(j.values[k], out);
      }
      out += '}';
      break;
  }
}

std::string to_string(const Json& j) {
  std::string out;
  write(j, out);
  return out;
}

// ---------------------------------------------------------------- parser

namespace {

class Parser {
 public:
  Parser(std::string_view text, int max_depth, const char* what)
      : text_(text), max_depth_(max_depth), what_(what) {}

  Json parse_document() {
    skip_space();
    Json j = parse_value(0);
    skip_space();
    if (pos_ != text_.size()) fail("unexpected text after the value");
    return j;
  }

 private:
  [[noreturn]] void fail(const std::string& reason) const {
    EMBER_THROW(RuntimeError, "[", what_, "] invalid JSON: ", reason, " at byte ", pos_);
  }

  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }

  void skip_space() {
    while (!at_end()) {
      char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
      ++pos_;
    }
  }

  void expect_literal(std::string_view lit) {
    if (text_.substr(pos_, lit.size()) != lit) fail("unexpected character");
    pos_ += lit.size();
  }

  Json parse_value(int depth) {
    if (at_end()) fail("unexpected end of text");
    switch (peek()) {
      case '{': return parse_object(depth + 1);
      case '[': return parse_array(depth + 1);
      case '"': return Json::string(parse_string());
      case 't': expect_literal("true"); return Json::boolean(true);
      case 'f': expect_literal("false"); return Json::boolean(false);
      case 'n': expect_literal("null"); return Json::null();
      default:
        if (peek() == '-' || (peek() >= '0' && peek() <= '9')) return parse_number();
        fail("unexpected character");
    }
  }

  void check_depth(int depth) {
    if (depth > max_depth_) fail("nesting deeper than " + std::to_string(max_depth_) + " levels");
  }

  Json parse_object(int depth) {
    check_depth(depth);
    ++pos_;  // '{'
    Json j = Json::object();
    skip_space();
    if (peek() == '}') {
      ++pos_;
      return j;
    }
    while (true) {
      skip_space();
      if (peek() != '"') fail("expected a string key");
      std::string key = parse_string();
      // Duplicate keys are ambiguous (readers disagree on which wins): refuse.
      if (j.find(key)) fail("duplicate key \"" + key + "\"");
      skip_space();
      if (peek() != ':') fail("expected ':'");
      ++pos_;
      skip_space();
      Json value = parse_value(depth);
      j.add(std::move(key), std::move(value));
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == '}') {
        ++pos_;
        return j;
      }
      fail("expected ',' or '}'");
    }
  }

  Json parse_array(int depth) {
    check_depth(depth);
    ++pos_;  // '['
    Json j = Json::array();
    skip_space();
    if (peek() == ']') {
      ++pos_;
      return j;
    }
    while (true) {
      skip_space();
      j.items.push_back(parse_value(depth));
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == ']') {
        ++pos_;
        return j;
      }
      fail("expected ',' or ']'");
    }
  }

  unsigned hex4() {
    if (pos_ + 4 > text_.size()) fail("truncated \\u escape");
    unsigned v = 0;
    for (int k = 0; k < 4; ++k) {
      char c = text_[pos_++];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= unsigned(c - '0');
      else if (c >= 'a' && c <= 'f') v |= unsigned(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= unsigned(c - 'A' + 10);
      else fail("bad \\u escape");
    }
    return v;
  }

  static void append_utf8(uint32_t cp, std::string& out) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  // Copies one UTF-8 encoded character starting at pos_, checking it is
  // well formed (no overlong forms, no surrogates, at most U+10FFFF).
  void copy_utf8_char(std::string& out) {
    auto byte = [&](size_t k) -> unsigned {
      return pos_ + k < text_.size() ? static_cast<unsigned char>(text_[pos_ + k]) : 0u;
    };
    unsigned c0 = byte(0);
    int len = 0;
    uint32_t cp = 0;
    if (c0 >= 0xC2 && c0 <= 0xDF) len = 2, cp = c0 & 0x1F;
    else if (c0 >= 0xE0 && c0 <= 0xEF) len = 3, cp = c0 & 0x0F;
    else if (c0 >= 0xF0 && c0 <= 0xF4) len = 4, cp = c0 & 0x07;
    else fail("invalid UTF-8");
    for (int k = 1; k < len; ++k) {
      unsigned c = byte(k);
      if ((c & 0xC0) != 0x80) fail("invalid UTF-8");
      cp = (cp << 6) | (c & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      fail("invalid UTF-8");
    }
    out.append(text_.substr(pos_, len));
    pos_ += len;
  }

  std::string parse_string() {
    ++pos_;  // opening quote
    std::string out;
    while (true) {
      if (at_end()) fail("unterminated string");
      unsigned char c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c < 0x20) fail("control character in a string");
      if (c >= 0x80) {
        copy_utf8_char(out);
        continue;
      }
      ++pos_;
      if (c != '\\') {
        out += static_cast<char>(c);
        continue;
      }
      if (at_end()) fail("unterminated string");
      char e = text_[pos_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          uint32_t cp = hex4();
          if (cp >= 0xDC00 && cp <= 0xDFFF) fail("lone low surrogate in \\u escape");
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (text_.substr(pos_, 2) != "\\u") fail("lone high surrogate in \\u escape");
            pos_ += 2;
            uint32_t low = hex4();
            if (low < 0xDC00 || low > 0xDFFF) fail("bad surrogate pair in \\u escape");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          append_utf8(cp, out);
          break;
        }
        default: fail("bad escape");
      }
    }
  }

  Json parse_number() {
    const size_t start = pos_;
    bool is_float = false;
    if (peek() == '-') ++pos_;
    if (peek() == '0') {
      ++pos_;
    } else if (peek() >= '1' && peek() <= '9') {
      while (peek() >= '0' && peek() <= '9') ++pos_;
    } else {
      fail("bad number");
    }
    if (peek() == '.') {
      is_float = true;
      ++pos_;
      if (!(peek() >= '0' && peek() <= '9')) fail("bad number");
      while (peek() >= '0' && peek() <= '9') ++pos_;
    }
    if (peek() == 'e' || peek() == 'E') {
      is_float = true;
      ++pos_;
      if (peek() == '+' || peek() == '-') ++pos_;
      if (!(peek() >= '0' && peek() <= '9')) fail("bad number");
      while (peek() >= '0' && peek() <= '9') ++pos_;
    }
    const char* b = text_.data() + start;
    const char* e = text_.data() + pos_;
    if (!is_float) {
      int64_t v = 0;
      auto res = std::from_chars(b, e, v);
      if (res.ec != std::errc() || res.ptr != e) fail("integer out of the int64 range");
      return Json::integer(v);
    }
    double v = 0.0;
    auto res = std::from_chars(b, e, v);
    if (res.ec != std::errc() || res.ptr != e) fail("number out of range");
    return Json::number(v);
  }

  std::string_view text_;
  size_t pos_ = 0;
  int max_depth_;
  const char* what_;
};

}  // namespace

Json parse(std::string_view text, int max_depth, const char* what) {
  return Parser(text, max_depth, what).parse_document();
}

}  // namespace ember::json
