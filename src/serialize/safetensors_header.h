#pragma once
// The safetensors header: building it for save, and parsing plus validating
// it for load (Note [Serialization format] in structure.h). Validation
// follows the safetensors specification: every tensor's byte range matches
// its dtype and shape, and the ranges, sorted, tile the data buffer from 0
// with no overlap and no hole.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ember/core/dim_vector.h"
#include "ember/core/dtype.h"

namespace ember::serialize_detail {

struct TensorEntry {
  std::string name;
  DType dtype = DType::Float32;
  DimVector shape;
  uint64_t begin = 0;  // byte offsets into the data buffer
  uint64_t end = 0;
};

struct Header {
  std::vector<TensorEntry> tensors;                               // in header order
  std::vector<std::pair<std::string, std::string>> metadata;      // __metadata__
  uint64_t data_size = 0;  // bytes of tensor data the header describes
  // The value of metadata key `key`, or nullptr.
  const std::string* find_metadata(std::string_view key) const;
};

// safetensors' dtype code ("F32", "BF16", "C64" ...). complex128 has none:
// the caller writes it as F64 (Note [Serialization format]).
const char* safetensors_dtype(DType dtype);

// The header text, padded with spaces to a multiple of 8 bytes so the data
// that follows the 8-byte length prefix starts 8-byte aligned.
std::string build_header(const std::vector<TensorEntry>& tensors,
                         const std::vector<std::pair<std::string, std::string>>& metadata);

// Parses and validates header text; RuntimeError "[load] ..." names the
// problem and the tensor.
Header parse_header(std::string_view text);

// Reads the little-endian u64 at p.
uint64_t read_u64_le(const unsigned char* p);

}  // namespace ember::serialize_detail
