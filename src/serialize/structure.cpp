#include "structure.h"

#include <cmath>
#include <unordered_set>

#include "ember/core/error.h"
#include "ember/serialize/serialize.h"

namespace ember::serialize_detail {

using json::Json;

namespace {

bool is_state_dict(const Value& v) {
  if (!v.is_dict()) return false;
  for (const DictEntry& e : v.entries()) {
    const auto* key = std::get_if<std::string>(&e.key);
    if (!key || *key == "__metadata__" || !e.value.is_tensor()) return false;
  }
  return true;
}

class Flattener {
 public:
  explicit Flattener(Flattened& out) : out_(out) {}

  Json visit(const Value& v, const std::string& path, int depth) {
    EMBER_CHECK(depth <= kMaxValueDepth, ValueError, "[save] the value is nested deeper than ", kMaxValueDepth,
                " levels (at '", path, "')");
    switch (v.kind()) {
      case Value::Kind::None: return Json::null();
      case Value::Kind::Bool: return Json::boolean(v.to_bool());
      case Value::Kind::Int: return Json::integer(v.to_int());
      case Value::Kind::Double: {
        double d = v.to_double();
        if (std::isfinite(d)) return Json::number(d);
        Json j = Json::object();
        j.add("float", Json::string(std::isnan(d) ? "nan" : d > 0 ? "inf" : "-inf"));
        return j;
      }
      case Value::Kind::String: return Json::string(v.to_string());
      case Value::Kind::Tensor: {
        std::string name = unique_name(path.empty() ? std::string("tensor") : path);
        out_.tensors.emplace_back(name, v.to_tensor());
        Json j = Json::object();
        j.add("tensor", Json::string(std::move(name)));
        return j;
      }
      case Value::Kind::List:
      case Value::Kind::Tuple: {
        Json items = Json::array();
        const auto& elems = v.items();
        for (size_t k = 0; k < elems.size(); ++k) {
          items.items.push_back(visit(elems[k], join(path, std::to_string(k)), depth + 1));
        }
        if (v.is_list()) return items;
        Json j = Json::object();
        j.add("tuple", std::move(items));
        return j;
      }
      case Value::Kind::Dict: {
        Json pairs = Json::array();
        for (const DictEntry& e : v.entries()) {
          Json key;
          std::string part;
          if (const auto* s = std::get_if<std::string>(&e.key)) {
            key = Json::string(*s);
            part = *s;
          } else {
            key = Json::integer(std::get<int64_t>(e.key));
            part = std::to_string(std::get<int64_t>(e.key));
          }
          Json value = visit(e.value, join(path, part), depth + 1);
          pairs.items.push_back(Json::array({std::move(key), std::move(value)}));
        }
        Json j = Json::object();
        j.add("dict", std::move(pairs));
        return j;
      }
    }
    EMBER_THROW(RuntimeError, "[save] unknown value kind");
  }

 private:
  static std::string join(const std::string& path, const std::string& part) {
    return path.empty() ? part : path + "." + part;
  }

  std::string unique_name(const std::string& base) {
    std::string name = base;
    for (int64_t k = 1; name == "__metadata__" || used_.count(name); ++k) name = base + "#" + std::to_string(k);
    used_.insert(name);
    return name;
  }

  Flattened& out_;
  std::unordered_set<std::string> used_;
};

class Unflattener {
 public:
  explicit Unflattener(const std::unordered_map<std::string, Tensor>& tensors) : tensors_(tensors) {}

  Value visit(const Json& j, int depth) {
    if (depth > kMaxValueDepth) fail("nesting deeper than " + std::to_string(kMaxValueDepth) + " levels");
    switch (j.type) {
      case Json::Type::Null: return Value();
      case Json::Type::Bool: return Value(j.b);
      case Json::Type::Int: return Value(j.i);
      case Json::Type::Float: return Value(j.f);
      case Json::Type::String: return Value(j.s);
      case Json::Type::Array: {
        Value::Items items;
        items.reserve(j.items.size());
        for (const Json& item : j.items) items.push_back(visit(item, depth + 1));
        return Value::list(std::move(items));
      }
      case Json::Type::Object: return visit_tagged(j, depth);
    }
    fail("unknown JSON type");
  }

  void check_all_used() const {
    for (const auto& [name, tensor] : tensors_) {
      if (!used_.count(name)) fail("tensor '" + name + "' is not referenced");
    }
  }

 private:
  [[noreturn]] static void fail(const std::string& reason) {
    EMBER_THROW(RuntimeError, "[load] invalid ", kStructureKey, " metadata: ", reason);
  }

  Value visit_tagged(const Json& j, int depth) {
    if (j.keys.size() != 1) fail("an object must have exactly one key (tensor, tuple, dict or float)");
    const std::string& tag = j.keys[0];
    const Json& body = j.values[0];
    if (tag == "tensor") {
      if (body.type != Json::Type::String) fail("\"tensor\" must name a tensor with a string");
      auto it = tensors_.find(body.s);
      if (it == tensors_.end()) fail("it refers to a tensor '" + body.s + "' that the file does not hold");
      used_.insert(body.s);
      return Value(it->second);
    }
    if (tag == "tuple") {
      if (body.type != Json::Type::Array) fail("\"tuple\" must hold an array");
      Value::Items items;
      items.reserve(body.items.size());
      for (const Json& item : body.items) items.push_back(visit(item, depth + 1));
      return Value::tuple(std::move(items));
    }
    if (tag == "dict") {
      if (body.type != Json::Type::Array) fail("\"dict\" must hold an array of [key, value] pairs");
      Value out = Value::dict();
      out.entries().reserve(body.items.size());
      for (const Json& pair : body.items) {
        if (pair.type != Json::Type::Array || pair.items.size() != 2) fail("a dict entry must be a [key, value] pair");
        const Json& key = pair.items[0];
        DictKey k;
        if (key.type == Json::Type::String) k = key.s;
        else if (key.type == Json::Type::Int) k = key.i;
        else fail(std::string("a dict key must be a string or an integer, not a ") + json::type_name(key.type));
        out.insert(std::move(k), visit(pair.items[1], depth + 1));
      }
      return out;
    }
    if (tag == "float") {
      if (body.type == Json::Type::String) {
        if (body.s == "nan") return Value(std::nan(""));
        if (body.s == "inf") return Value(HUGE_VAL);
        if (body.s == "-inf") return Value(-HUGE_VAL);
      }
      fail("\"float\" must be \"nan\", \"inf\" or \"-inf\"");
    }
    fail("unknown tag \"" + tag + "\"");
  }

  const std::unordered_map<std::string, Tensor>& tensors_;
  std::unordered_set<std::string> used_;
};

}  // namespace

Flattened flatten(const Value& value) {
  Flattened out;
  if (is_state_dict(value)) {
    for (const DictEntry& e : value.entries()) out.tensors.emplace_back(std::get<std::string>(e.key), e.value.to_tensor());
    return out;
  }
  out.has_structure = true;
  out.structure = Flattener(out).visit(value, "", 0);
  return out;
}

Value unflatten(const Json& structure, const std::unordered_map<std::string, Tensor>& tensors) {
  Unflattener u(tensors);
  Value v = u.visit(structure, 0);
  u.check_all_used();
  return v;
}

}  // namespace ember::serialize_detail
