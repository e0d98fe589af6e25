#include "safetensors_header.h"

#include <algorithm>
#include <numeric>

#include "ember/core/error.h"
#include "json.h"

namespace ember::serialize_detail {

using json::Json;

namespace {

struct DTypeCode {
  const char* code;
  DType dtype;
};
constexpr DTypeCode kCodes[] = {
    {"BOOL", DType::Bool},     {"U8", DType::UInt8},      {"I8", DType::Int8},   {"I16", DType::Int16},
    {"I32", DType::Int32},     {"I64", DType::Int64},     {"F16", DType::Float16}, {"BF16", DType::BFloat16},
    {"F32", DType::Float32},   {"F64", DType::Float64},   {"C64", DType::Complex64},
};
// Codes of the safetensors specification that Ember has no dtype for.
constexpr const char* kUnsupportedCodes[] = {"U16", "U32", "U64", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F6_E2M3",
                                             "F6_E3M2", "F4", "C128"};

// The JSON header is shallow: {name: {"shape": [...]}}.
constexpr int kHeaderMaxDepth = 3;

[[noreturn]] void fail_tensor(const std::string& name, const std::string& reason) {
  EMBER_THROW(RuntimeError, "[load] invalid safetensors header: tensor '", name, "' ", reason);
}

DType dtype_from_code(const std::string& name, const std::string& code) {
  for (const DTypeCode& c : kCodes) {
    if (code == c.code) return c.dtype;
  }
  for (const char* c : kUnsupportedCodes) {
    if (code == c) fail_tensor(name, "has dtype " + code + ", which Ember does not support");
  }
  fail_tensor(name, "has an unknown dtype '" + code + "'");
}

uint64_t offset_value(const std::string& name, const Json& j) {
  if (j.type != Json::Type::Int || j.i < 0) {
    fail_tensor(name, "has data_offsets that are not two non-negative integers");
  }
  return static_cast<uint64_t>(j.i);
}

TensorEntry parse_entry(const std::string& name, const Json& j) {
  if (j.type != Json::Type::Object) fail_tensor(name, std::string("is a JSON ") + json::type_name(j.type) + ", not an object");
  for (const std::string& key : j.keys) {
    if (key != "dtype" && key != "shape" && key != "data_offsets") fail_tensor(name, "has an unexpected field '" + key + "'");
  }
  const Json* dtype = j.find("dtype");
  const Json* shape = j.find("shape");
  const Json* offsets = j.find("data_offsets");
  if (!dtype) fail_tensor(name, "has no 'dtype' field");
  if (!shape) fail_tensor(name, "has no 'shape' field");
  if (!offsets) fail_tensor(name, "has no 'data_offsets' field");
  if (dtype->type != Json::Type::String) fail_tensor(name, "has a dtype that is not a string");
  if (shape->type != Json::Type::Array) fail_tensor(name, "has a shape that is not an array");
  if (offsets->type != Json::Type::Array || offsets->items.size() != 2) {
    fail_tensor(name, "has data_offsets that are not a [begin, end] pair");
  }

  TensorEntry e;
  e.name = name;
  e.dtype = dtype_from_code(name, dtype->s);
  // numel * itemsize, checked against overflow as the dims arrive.
  int64_t nbytes = itemsize(e.dtype);
  for (const Json& d : shape->items) {
    if (d.type != Json::Type::Int) fail_tensor(name, "has a shape entry that is not an integer");
    if (d.i < 0) fail_tensor(name, "has a negative dimension " + std::to_string(d.i) + " in its shape");
    e.shape.push_back(d.i);
  }
  bool overflow = false;
  for (int64_t d : e.shape) overflow = overflow || __builtin_mul_overflow(nbytes, d, &nbytes);
  // A zero dim makes the tensor empty whatever the other dims are.
  if (std::find(e.shape.begin(), e.shape.end(), 0) != e.shape.end()) nbytes = 0, overflow = false;
  if (overflow) {
    std::ostringstream os;
    os << "has shape " << e.shape << " whose size in bytes overflows 64 bits";
    fail_tensor(name, os.str());
  }
  e.begin = offset_value(name, offsets->items[0]);
  e.end = offset_value(name, offsets->items[1]);
  if (e.end < e.begin) fail_tensor(name, "has data_offsets [" + std::to_string(e.begin) + ", " + std::to_string(e.end) + "] that end before they begin");
  if (e.end - e.begin != static_cast<uint64_t>(nbytes)) {
    std::ostringstream os;
    os << "has data_offsets [" << e.begin << ", " << e.end << "] spanning " << e.end - e.begin
       << " bytes, but dtype " << dtype->s << " and shape " << e.shape << " need " << nbytes;
    fail_tensor(name, os.str());
  }
  return e;
}

}  // namespace

const std::string* Header::find_metadata(std::string_view key) const {
  for (const auto& [k, v] : metadata) {
    if (k == key) return &v;
  }
  return nullptr;
}

const char* safetensors_dtype(DType dtype) {
  for (const DTypeCode& c : kCodes) {
    if (c.dtype == dtype) return c.code;
  }
  EMBER_THROW(RuntimeError, "[save] safetensors has no dtype code for ", dtype_name(dtype));
}

uint64_t read_u64_le(const unsigned char* p) {
  uint64_t v = 0;
  for (int k = 7; k >= 0; --k) v = (v << 8) | p[k];
  return v;
}

std::string build_header(const std::vector<TensorEntry>& tensors,
                         const std::vector<std::pair<std::string, std::string>>& metadata) {
  Json root = Json::object();
  if (!metadata.empty()) {
    Json meta = Json::object();
    for (const auto& [k, v] : metadata) meta.add(k, Json::string(v));
    root.add("__metadata__", std::move(meta));
  }
  for (const TensorEntry& e : tensors) {
    Json entry = Json::object();
    entry.add("dtype", Json::string(safetensors_dtype(e.dtype)));
    Json shape = Json::array();
    for (int64_t d : e.shape) shape.items.push_back(Json::integer(d));
    entry.add("shape", std::move(shape));
    entry.add("data_offsets", Json::array({Json::integer(static_cast<int64_t>(e.begin)),
                                           Json::integer(static_cast<int64_t>(e.end))}));
    root.add(e.name, std::move(entry));
  }
  std::string text = json::to_string(root);
  text.append((8 - text.size() % 8) % 8, ' ');
  return text;
}

Header parse_header(std::string_view text) {
  Json root = json::parse(text, kHeaderMaxDepth, "load");
  EMBER_CHECK(root.type == Json::Type::Object, RuntimeError,
              "[load] invalid safetensors header: expected a JSON object, got a ", json::type_name(root.type));
  Header h;
  for (size_t k = 0; k < root.keys.size(); ++k) {
    const std::string& key = root.keys[k];
    const Json& value = root.values[k];
    if (key == "__metadata__") {
      EMBER_CHECK(value.type == Json::Type::Object, RuntimeError,
                  "[load] invalid safetensors header: __metadata__ must be an object, not a ",
                  json::type_name(value.type));
      for (size_t m = 0; m < value.keys.size(); ++m) {
        EMBER_CHECK(value.values[m].type == Json::Type::String, RuntimeError,
                    "[load] invalid safetensors header: __metadata__ values must be strings, but '", value.keys[m],
                    "' is a ", json::type_name(value.values[m].type));
        h.metadata.emplace_back(value.keys[m], value.values[m].s);
      }
      continue;
    }
    h.tensors.push_back(parse_entry(key, value));
  }

  // The byte ranges, in order, must tile [0, data_size).
  std::vector<size_t> order(h.tensors.size());
  std::iota(order.begin(), order.end(), size_t(0));
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const TensorEntry &x = h.tensors[a], &y = h.tensors[b];
    return x.begin != y.begin ? x.begin < y.begin : x.end < y.end;
  });
  uint64_t covered = 0;
  const TensorEntry* previous = nullptr;
  for (size_t idx : order) {
    const TensorEntry& e = h.tensors[idx];
    if (e.begin < covered) {
      fail_tensor(e.name, "has data_offsets [" + std::to_string(e.begin) + ", " + std::to_string(e.end) +
                              "] overlapping tensor '" + previous->name + "'");
    }
    if (e.begin > covered) {
      fail_tensor(e.name, "starts at byte " + std::to_string(e.begin) + ", leaving a hole after byte " +
                              std::to_string(covered) + " (safetensors data must be contiguous)");
    }
    covered = e.end;
    if (e.end > e.begin || !previous) previous = &e;
  }
  h.data_size = covered;
  return h;
}

}  // namespace ember::serialize_detail
