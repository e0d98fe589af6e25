#include "ember/serialize/value.h"

#include "ember/core/error.h"

namespace ember {

const char* kind_name(Value::Kind kind) {
  switch (kind) {
    case Value::Kind::None: return "None";
    case Value::Kind::Bool: return "bool";
    case Value::Kind::Int: return "int";
    case Value::Kind::Double: return "float";
    case Value::Kind::String: return "str";
    case Value::Kind::Tensor: return "Tensor";
    case Value::Kind::List: return "list";
    case Value::Kind::Tuple: return "tuple";
    case Value::Kind::Dict: return "dict";
  }
  return "?";
}

Value Value::list(Items items) {
  Value v;
  v.data_ = ListBox{std::move(items)};
  return v;
}

Value Value::tuple(Items items) {
  Value v;
  v.data_ = TupleBox{std::move(items)};
  return v;
}

Value Value::dict(Entries entries) {
  Value v;
  v.data_ = DictBox{std::move(entries)};
  return v;
}

namespace {
[[noreturn]] void wrong_kind(const char* wanted, Value::Kind held) {
  EMBER_THROW(TypeError, "[Value] expected ", wanted, " but the value is ", kind_name(held));
}
}  // namespace

bool Value::to_bool() const {
  if (!is_bool()) wrong_kind("bool", kind());
  return std::get<bool>(data_);
}

int64_t Value::to_int() const {
  if (!is_int()) wrong_kind("int", kind());
  return std::get<int64_t>(data_);
}

double Value::to_double() const {
  if (!is_double()) wrong_kind("float", kind());
  return std::get<double>(data_);
}

const std::string& Value::to_string() const {
  if (!is_string()) wrong_kind("str", kind());
  return std::get<std::string>(data_);
}

const Tensor& Value::to_tensor() const {
  if (!is_tensor()) wrong_kind("Tensor", kind());
  return std::get<Tensor>(data_);
}

const Value::Items& Value::items() const {
  if (is_list()) return std::get<ListBox>(data_).items;
  if (is_tuple()) return std::get<TupleBox>(data_).items;
  wrong_kind("list or tuple", kind());
}

Value::Items& Value::items() {
  if (is_list()) return std::get<ListBox>(data_).items;
  if (is_tuple()) return std::get<TupleBox>(data_).items;
  wrong_kind("list or tuple", kind());
}

const Value::Entries& Value::entries() const {
  if (!is_dict()) wrong_kind("dict", kind());
  return std::get<DictBox>(data_).entries;
}

Value::Entries& Value::entries() {
  if (!is_dict()) wrong_kind("dict", kind());
  return std::get<DictBox>(data_).entries;
}

void Value::insert(DictKey key, Value value) {
  entries().push_back(DictEntry{std::move(key), std::move(value)});
}

const Value* Value::find(const DictKey& key) const {
  for (const DictEntry& e : entries()) {
    if (e.key == key) return &e.value;
  }
  return nullptr;
}

const Value& Value::at(const DictKey& key) const {
  const Value* v = find(key);
  if (!v) {
    if (const auto* s = std::get_if<std::string>(&key)) EMBER_THROW(IndexError, "[Value] no key '", *s, "'");
    EMBER_THROW(IndexError, "[Value] no key ", std::get<int64_t>(key));
  }
  return *v;
}

}  // namespace ember
