// ember::save: flattens a value into named tensors (structure.h), writes the
// safetensors header, then each tensor's bytes.
#include <algorithm>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <numeric>

#include "ember/core/error.h"
#include "ember/serialize/serialize.h"
#include "safetensors_header.h"
#include "structure.h"

namespace ember {

using serialize_detail::TensorEntry;

static_assert(std::endian::native == std::endian::little,
              "safetensors data is little-endian; saving on a big-endian host needs byte swapping");

namespace {

struct Prepared {
  std::string header;
  std::vector<Tensor> data;  // contiguous CPU tensors, in file order
};

Prepared prepare(const Value& value) {
  serialize_detail::Flattened flat = serialize_detail::flatten(value);
  std::vector<TensorEntry> entries;
  std::vector<Tensor> tensors;
  json::Json complex128 = json::Json::array();
  for (auto& [name, tensor] : flat.tensors) {
    EMBER_CHECK(tensor.defined(), ValueError, "[save] tensor '", name, "' is undefined");
    Tensor t = tensor.cpu().contiguous();
    TensorEntry e;
    e.name = name;
    e.dtype = t.dtype();
    e.shape = t.sizes();
    if (t.dtype() == DType::Complex128) {
      // No safetensors code: written as float64 pairs (Note [Serialization format]).
      e.dtype = DType::Float64;
      e.shape.push_back(2);
      complex128.items.push_back(json::Json::string(name));
    }
    entries.push_back(std::move(e));
    tensors.push_back(std::move(t));
  }

  // Wider elements first, so every tensor starts aligned to its element size
  // (the data buffer itself starts 8-byte aligned): mmap can borrow them.
  std::vector<size_t> order(entries.size());
  std::iota(order.begin(), order.end(), size_t(0));
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return itemsize(entries[a].dtype) > itemsize(entries[b].dtype); });
  Prepared out;
  uint64_t offset = 0;
  for (size_t idx : order) {
    entries[idx].begin = offset;
    offset += static_cast<uint64_t>(tensors[idx].nbytes());
    entries[idx].end = offset;
    out.data.push_back(tensors[idx]);
  }

  std::vector<std::pair<std::string, std::string>> metadata;
  if (flat.has_structure) metadata.emplace_back(serialize_detail::kStructureKey, json::to_string(flat.structure));
  if (!complex128.items.empty()) metadata.emplace_back(serialize_detail::kComplex128Key, json::to_string(complex128));
  out.header = serialize_detail::build_header(entries, metadata);
  EMBER_CHECK(out.header.size() <= kMaxHeaderBytes, ValueError, "[save] the header would take ", out.header.size(),
              " bytes, more than safetensors' limit of ", kMaxHeaderBytes,
              " (too many tensors or too much non-tensor data)");
  return out;
}

void write_prepared(const Prepared& p, std::ostream& out) {
  unsigned char prefix[8];
  uint64_t n = p.header.size();
  for (int k = 0; k < 8; ++k) prefix[k] = static_cast<unsigned char>(n >> (8 * k));
  out.write(reinterpret_cast<const char*>(prefix), 8);
  out.write(p.header.data(), static_cast<std::streamsize>(p.header.size()));
  for (const Tensor& t : p.data) {
    if (t.nbytes() > 0) out.write(static_cast<const char*>(t.data_ptr()), static_cast<std::streamsize>(t.nbytes()));
  }
  out.flush();
  EMBER_CHECK(out.good(), RuntimeError, "[save] writing to the stream failed");
}

}  // namespace

void save(const Value& value, std::ostream& out) { write_prepared(prepare(value), out); }

void save(const Value& value, const std::string& path) {
  // Prepared before opening, so that a value that cannot be saved leaves no file.
  Prepared p = prepare(value);
  // An existing regular file is replaced by renaming a new file over it, never
  // truncated: tensors loaded from it with mmap keep reading the old pages
  // (truncating a mapped file would crash them), even while being saved.
  std::error_code ec;
  const bool replace = std::filesystem::is_regular_file(std::filesystem::symlink_status(path, ec));
  const std::string target = replace ? path + ".tmp-ember-" + std::to_string(::getpid()) : path;
  std::ofstream file(target, std::ios::binary | std::ios::trunc);
  EMBER_CHECK(file.is_open(), RuntimeError, "[save] cannot open '", target, "' for writing: ", std::strerror(errno));
  try {
    write_prepared(p, file);
    file.close();
    EMBER_CHECK(!file.fail(), RuntimeError, "[save] writing '", target, "' failed: ", std::strerror(errno));
  } catch (...) {
    if (replace) std::filesystem::remove(target, ec);
    throw;
  }
  if (replace) {
    std::filesystem::rename(target, path, ec);
    if (ec) {
      std::string reason = ec.message();
      std::filesystem::remove(target, ec);
      EMBER_THROW(RuntimeError, "[save] cannot replace '", path, "': ", reason);
    }
  }
}

}  // namespace ember
