#pragma once
// Note [Serialization format]
// A saved file is a safetensors file: an 8-byte little-endian header length,
// a JSON header {"__metadata__": {str: str}, "<name>": {"dtype", "shape",
// "data_offsets"}, ...} padded with spaces to a multiple of 8 bytes, then the
// tensors' bytes, back to back, covering the buffer exactly.
//
// - A plain state dict (a dict of str -> Tensor) is written with its keys as
//   the tensor names and nothing else, so any safetensors reader sees the
//   state dict, and a safetensors file with no Ember metadata loads as a
//   dict of str -> Tensor in header order.
// - Any other value is described by the JSON text in metadata key
//   "ember.structure", which names its tensors: null, true/false, integers,
//   floats (always written with '.' or an exponent), strings as themselves;
//   {"float": "nan"|"inf"|"-inf"}; {"tensor": name}; lists as arrays;
//   {"tuple": [...]}; {"dict": [[key, value], ...]} with str or int keys.
//   Tensor names are the value's path ("state.0.exp_avg"), made unique with
//   a "#k" suffix where two paths collide.
// - complex64 uses safetensors' C64 code (readable by safetensors >= 0.7).
// - complex128, which safetensors has no code for, is written as F64 with a
//   trailing dimension of 2 (real, imaginary) and its name listed in the
//   JSON array in metadata key "ember.complex128".
// - Tensors are written contiguous; two views of one storage become two
//   independent tensors on load.
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ember/serialize/value.h"
#include "json.h"

namespace ember::serialize_detail {

inline constexpr const char* kStructureKey = "ember.structure";
inline constexpr const char* kComplex128Key = "ember.complex128";

struct Flattened {
  bool has_structure = false;
  json::Json structure;
  std::vector<std::pair<std::string, Tensor>> tensors;  // in the value's order
};

// Splits a value into its named tensors and, unless it is a plain state
// dict, the structure JSON. ValueError for values nested too deeply.
Flattened flatten(const Value& value);

// Rebuilds a value from the structure JSON and the tensors by name; every
// tensor must be referenced. RuntimeError names what does not fit.
Value unflatten(const json::Json& structure, const std::unordered_map<std::string, Tensor>& tensors);

}  // namespace ember::serialize_detail
