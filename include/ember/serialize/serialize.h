#pragma once
// ember::save / ember::load: values (tensors, state dicts, nested
// dicts/lists/tuples of tensors, numbers and strings) in the safetensors
// format, so files open with the `safetensors` package and files it writes
// open here. Note [Serialization format] in src/serialize/structure.h says how
// a value maps onto the file. Loading never executes code; malformed or
// hostile files raise RuntimeError naming the problem.
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>

#include "ember/serialize/value.h"

namespace ember {

// Limits a file must respect to load (the header limit is safetensors').
inline constexpr uint64_t kMaxHeaderBytes = 100'000'000;
// Nesting depth of a saved value: deeper values are refused on save and load.
inline constexpr int kMaxValueDepth = 100;

// Writes value to a file (created or truncated) or a stream. Tensors are
// written contiguous, in their dtype, from any device; two views of one
// storage are written as two separate tensors.
EMBER_API void save(const Value& value, const std::string& path);
EMBER_API void save(const Value& value, std::ostream& out);

struct LoadOptions {
  // Map the file copy-on-write instead of reading it: tensors borrow the
  // mapping's pages, read lazily; writing a tensor never changes the file.
  bool mmap = false;
};

EMBER_API Value load(const std::string& path, const LoadOptions& options = {});
// Reads from the stream's position. The stream is read only as far as the
// file claims; a seekable stream is checked against its length first.
EMBER_API Value load(std::istream& in);
// Parses a whole file held in memory; tensors copy their bytes out.
EMBER_API Value load(const void* data, size_t size);
// Maps an open file descriptor from byte `offset` to its end (copy-on-write);
// the descriptor may be closed afterwards.
EMBER_API Value load_mmap(int fd, uint64_t offset = 0);

}  // namespace ember
