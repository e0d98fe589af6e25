#pragma once
// A small JSON document type with a writer and a strict parser, for the
// safetensors header and Ember's structure metadata (internal to
// src/serialize). The parser accepts exactly RFC 8259 JSON in valid UTF-8,
// rejects duplicate object keys, keeps key order, limits nesting depth (so a
// hostile file cannot exhaust the stack), and tells integers (no fraction or
// exponent, within int64) from floats.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ember::json {

struct Json {
  enum class Type { Null, Bool, Int, Float, String, Array, Object };
  Type type = Type::Null;
  bool b = false;
  int64_t i = 0;
  double f = 0.0;
  std::string s;
  std::vector<Json> items;        // Array elements
  std::vector<std::string> keys;  // Object keys, in order
  std::vector<Json> values;       // Object values, parallel to keys

  static Json null() { return Json(); }
  static Json boolean(bool v);
  static Json integer(int64_t v);
  static Json number(double v);  // finite values only
  static Json string(std::string v);
  static Json array(std::vector<Json> v = {});
  static Json object();

  void add(std::string key, Json value);  // appends to an Object
  // The value at key in an Object, or nullptr.
  const Json* find(std::string_view key) const;
};

// "null", "boolean", "integer", "number", "string", "array", "object".
const char* type_name(Json::Type t);

// Compact JSON text. Floats print in their shortest round-trip form, always
// with a '.' or an exponent so that they parse back as floats.
void write(const Json& value, std::string& out);
std::string to_string(const Json& value);

// Parses text (whitespace allowed around the value) or throws RuntimeError
// "[<what>] invalid JSON ...: <reason> at byte <n>".
Json parse(std::string_view text, int max_depth, const char* what);

}  // namespace ember::json
