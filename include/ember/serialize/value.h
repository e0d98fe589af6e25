#pragma once
// Value: the small tree that ember::save writes and ember::load returns.
// A value is None, a bool, an int64, a double, a string, a Tensor, or a list,
// tuple or dict of values; dict keys are strings or int64 (optimizer state
// dicts key their state by parameter index). Dicts keep insertion order.
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "ember/core/tensor.h"

namespace ember {

class Value;
struct DictEntry;

// A dict key: an int64 or a string.
using DictKey = std::variant<int64_t, std::string>;

class EMBER_API Value {
 public:
  enum class Kind { None, Bool, Int, Double, String, Tensor, List, Tuple, Dict };
  using Items = std::vector<Value>;
  using Entries = std::vector<DictEntry>;

  Value() = default;  // None
  // Defined below DictEntry, which must be complete first.
  Value(std::nullptr_t);
  Value(bool b);
  Value(int v);
  Value(int64_t v);
  Value(double v);
  Value(std::string s);
  Value(const char* s);
  Value(Tensor t);

  static Value list(Items items = {});
  static Value tuple(Items items = {});
  static Value dict(Entries entries = {});

  Kind kind() const { return static_cast<Kind>(data_.index()); }
  bool is_none() const { return kind() == Kind::None; }
  bool is_bool() const { return kind() == Kind::Bool; }
  bool is_int() const { return kind() == Kind::Int; }
  bool is_double() const { return kind() == Kind::Double; }
  bool is_string() const { return kind() == Kind::String; }
  bool is_tensor() const { return kind() == Kind::Tensor; }
  bool is_list() const { return kind() == Kind::List; }
  bool is_tuple() const { return kind() == Kind::Tuple; }
  bool is_dict() const { return kind() == Kind::Dict; }

  // Accessors throw TypeError naming the kind held when it is another kind.
  bool to_bool() const;
  int64_t to_int() const;
  double to_double() const;
  const std::string& to_string() const;
  const Tensor& to_tensor() const;
  // The elements of a list or tuple.
  const Items& items() const;
  Items& items();
  const Entries& entries() const;
  Entries& entries();

  // Dict helpers: append an entry; find a key (nullptr when absent).
  void insert(DictKey key, Value value);
  const Value* find(const DictKey& key) const;
  // The value at a key; IndexError when absent.
  const Value& at(const DictKey& key) const;

 private:
  struct ListBox { Items items; };
  struct TupleBox { Items items; };
  struct DictBox { Entries entries; };
  // The order matches Kind.
  std::variant<std::monostate, bool, int64_t, double, std::string, Tensor, ListBox, TupleBox, DictBox> data_;
};

struct DictEntry {
  DictKey key;
  Value value;
};

inline Value::Value(std::nullptr_t) {}
inline Value::Value(bool b) : data_(b) {}
inline Value::Value(int v) : data_(int64_t(v)) {}
inline Value::Value(int64_t v) : data_(v) {}
inline Value::Value(double v) : data_(v) {}
inline Value::Value(std::string s) : data_(std::move(s)) {}
inline Value::Value(const char* s) : data_(std::string(s)) {}
inline Value::Value(Tensor t) : data_(std::move(t)) {}

// "None", "bool", "int", "float", "str", "Tensor", "list", "tuple", "dict".
EMBER_API const char* kind_name(Value::Kind kind);

}  // namespace ember
