// ember::load: reads and validates the safetensors header, then builds each
// tensor (copied from a buffer or stream, or borrowed from a private file
// mapping) and the value around them (structure.h). Every length is checked
// against what the file really holds before memory is allocated for it.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <numeric>
#include <optional>

#include "ember/core/error.h"
#include "ember/serialize/serialize.h"
#include "safetensors_header.h"
#include "structure.h"

namespace ember {

using serialize_detail::Header;
using serialize_detail::TensorEntry;

namespace {

// Reads past the header are grown chunk by chunk, so a lying length costs at
// most what the stream really holds.
constexpr size_t kReadChunk = size_t(16) << 20;

// PyTorch's own checkpoints (torch.save) are zip archives or raw pickles:
// name them rather than report a nonsensical header length. Only called for
// lengths over the limit, so no valid file is ever refused by this guess.
void check_not_pytorch_pickle(const unsigned char* prefix) {
  const bool zip = prefix[0] == 'P' && prefix[1] == 'K' && prefix[2] == 3 && prefix[3] == 4;
  const bool pickle = prefix[0] == 0x80 && prefix[1] >= 2 && prefix[1] <= 5;
  EMBER_CHECK(!zip && !pickle, RuntimeError, "[load] this looks like a ", zip ? "zip" : "pickle",
              " file (a torch.save checkpoint?); ember.load reads only safetensors files, and never unpickles. "
              "Convert it in PyTorch with safetensors.torch.save_file(torch.load(path), new_path)");
}

void check_header_length(uint64_t n, std::optional<uint64_t> available) {
  EMBER_CHECK(n <= kMaxHeaderBytes, RuntimeError, "[load] the header length ", n,
              " bytes is larger than the limit of ", kMaxHeaderBytes, " bytes (corrupted or not a safetensors file)");
  if (available) {
    EMBER_CHECK(n <= *available, RuntimeError, "[load] the header length ", n, " bytes is larger than the ",
                *available, " bytes that follow it (truncated or not a safetensors file)");
  }
}

void check_data_size(const Header& h, uint64_t available, bool exact) {
  EMBER_CHECK(h.data_size <= available, RuntimeError, "[load] the file is truncated: the header describes ",
              h.data_size, " bytes of tensor data but only ", available, " bytes follow it");
  EMBER_CHECK(!exact || h.data_size == available, RuntimeError, "[load] the header describes ", h.data_size,
              " bytes of tensor data but ", available,
              " bytes follow it (safetensors requires the tensors to cover the data exactly)");
}

// complex128 tensors are stored as F64 pairs (Note [Serialization format]).
void apply_complex128_marker(Header& h) {
  const std::string* names = h.find_metadata(serialize_detail::kComplex128Key);
  if (!names) return;
  json::Json list = json::parse(*names, 1, "load");
  EMBER_CHECK(list.type == json::Json::Type::Array, RuntimeError, "[load] metadata ",
              serialize_detail::kComplex128Key, " must be a JSON array of tensor names");
  for (const json::Json& name : list.items) {
    EMBER_CHECK(name.type == json::Json::Type::String, RuntimeError, "[load] metadata ",
                serialize_detail::kComplex128Key, " must be a JSON array of tensor names");
    auto it = std::find_if(h.tensors.begin(), h.tensors.end(), [&](const TensorEntry& e) { return e.name == name.s; });
    EMBER_CHECK(it != h.tensors.end(), RuntimeError, "[load] metadata ", serialize_detail::kComplex128Key,
                " names a tensor '", name.s, "' that the file does not hold");
    EMBER_CHECK(it->dtype == DType::Float64 && !it->shape.empty() && it->shape.back() == 2, RuntimeError,
                "[load] tensor '", name.s, "' is marked complex128 but is not F64 with a last dimension of 2");
    it->dtype = DType::Complex128;
    it->shape.pop_back();
  }
}

Header read_header(std::string_view text) {
  Header h = serialize_detail::parse_header(text);
  apply_complex128_marker(h);
  return h;
}

Tensor empty_tensor(const TensorEntry& e) { return empty(e.shape, TensorOptions(e.dtype)); }

// The value around the tensors (tensors[k] belongs to h.tensors[k]).
Value assemble(const Header& h, std::vector<Tensor> tensors) {
  const std::string* structure = h.find_metadata(serialize_detail::kStructureKey);
  if (!structure) {
    Value out = Value::dict();
    for (size_t k = 0; k < tensors.size(); ++k) out.insert(h.tensors[k].name, std::move(tensors[k]));
    return out;
  }
  std::unordered_map<std::string, Tensor> by_name;
  for (size_t k = 0; k < tensors.size(); ++k) by_name.emplace(h.tensors[k].name, std::move(tensors[k]));
  // Each value level takes up to three JSON levels: {"dict": [[key, value]]}.
  json::Json j = json::parse(*structure, 3 * kMaxValueDepth + 4, "load");
  return serialize_detail::unflatten(j, by_name);
}

// ---- whole file in memory (a buffer or a mapping)

using MakeTensor = std::function<Tensor(const TensorEntry&, const unsigned char* bytes)>;

Value load_memory(const unsigned char* p, size_t size, const MakeTensor& make) {
  EMBER_CHECK(size >= 8, RuntimeError, "[load] the file is ", size,
              " bytes long, too short for a safetensors header (at least 8 bytes)");
  uint64_t n = serialize_detail::read_u64_le(p);
  if (n > kMaxHeaderBytes) check_not_pytorch_pickle(p);
  check_header_length(n, size - 8);
  Header h = read_header(std::string_view(reinterpret_cast<const char*>(p + 8), n));
  check_data_size(h, size - 8 - n, /*exact=*/true);
  const unsigned char* data = p + 8 + n;
  std::vector<Tensor> tensors;
  tensors.reserve(h.tensors.size());
  for (const TensorEntry& e : h.tensors) tensors.push_back(make(e, data + e.begin));
  return assemble(h, std::move(tensors));
}

Tensor copy_tensor(const TensorEntry& e, const unsigned char* bytes) {
  Tensor t = empty_tensor(e);
  if (e.end > e.begin) std::memcpy(t.data_ptr(), bytes, e.end - e.begin);
  return t;
}

// ---- streams

// Remaining bytes of a seekable stream, or nullopt.
std::optional<uint64_t> remaining_bytes(std::istream& in) {
  std::streampos here = in.tellg();
  if (here == std::streampos(-1)) {
    in.clear();
    return std::nullopt;
  }
  in.seekg(0, std::ios::end);
  std::streampos end = in.tellg();
  in.seekg(here);
  if (!in || end == std::streampos(-1) || end < here) {
    in.clear();
    in.seekg(here);
    return std::nullopt;
  }
  return static_cast<uint64_t>(end - here);
}

[[noreturn]] void truncated(const char* what, uint64_t wanted, uint64_t got) {
  EMBER_THROW(RuntimeError, "[load] the file is truncated: expected ", wanted, " bytes of ", what, " but got ", got);
}

void read_exact(std::istream& in, char* dst, uint64_t n, const char* what) {
  uint64_t done = 0;
  while (done < n) {
    std::streamsize step = static_cast<std::streamsize>(std::min<uint64_t>(n - done, kReadChunk));
    in.read(dst + done, step);
    done += static_cast<uint64_t>(in.gcount());
    if (in.gcount() != step) truncated(what, n, done);
  }
}

// Reads n bytes into a string grown chunk by chunk.
std::string read_growing(std::istream& in, uint64_t n, const char* what) {
  std::string out;
  while (out.size() < n) {
    size_t step = static_cast<size_t>(std::min<uint64_t>(n - out.size(), kReadChunk));
    size_t old = out.size();
    out.resize(old + step);
    in.read(out.data() + old, static_cast<std::streamsize>(step));
    if (static_cast<size_t>(in.gcount()) != step) truncated(what, n, old + static_cast<uint64_t>(in.gcount()));
  }
  return out;
}

Value load_stream(std::istream& in, bool exact) {
  std::optional<uint64_t> available = remaining_bytes(in);
  unsigned char prefix[8];
  in.read(reinterpret_cast<char*>(prefix), 8);
  EMBER_CHECK(in.gcount() == 8, RuntimeError, "[load] the file is ", in.gcount(),
              " bytes long, too short for a safetensors header (at least 8 bytes)");
  if (available) *available -= 8;
  uint64_t n = serialize_detail::read_u64_le(prefix);
  if (n > kMaxHeaderBytes) check_not_pytorch_pickle(prefix);
  check_header_length(n, available);
  Header h = read_header(read_growing(in, n, "header"));
  if (available) {
    *available -= n;
    check_data_size(h, *available, exact);
  } else {
    // Unknown length: read what the header claims before allocating tensors.
    std::string data = read_growing(in, h.data_size, "tensor data");
    std::vector<Tensor> tensors;
    for (const TensorEntry& e : h.tensors) {
      tensors.push_back(copy_tensor(e, reinterpret_cast<const unsigned char*>(data.data()) + e.begin));
    }
    return assemble(h, std::move(tensors));
  }
  // Known length: read each tensor straight into its storage, in file order.
  std::vector<size_t> order(h.tensors.size());
  std::iota(order.begin(), order.end(), size_t(0));
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return h.tensors[a].begin < h.tensors[b].begin; });
  std::vector<Tensor> tensors(h.tensors.size());
  for (size_t idx : order) {
    const TensorEntry& e = h.tensors[idx];
    tensors[idx] = empty_tensor(e);
    if (e.end > e.begin) read_exact(in, static_cast<char*>(tensors[idx].data_ptr()), e.end - e.begin, "tensor data");
  }
  return assemble(h, std::move(tensors));
}

// ---- mmap

// One mapping shared by every tensor that borrows from it; unmapped when the
// last of them dies.
struct Mapping {
  Mapping(void* a, size_t n) : addr(a), length(n) {}
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  ~Mapping() { ::munmap(addr, length); }
  void* addr;
  size_t length;
};

void release_mapping(void*, void* ctx) { delete static_cast<std::shared_ptr<Mapping>*>(ctx); }

}  // namespace

Value load(const void* data, size_t size) {
  EMBER_CHECK(data != nullptr || size == 0, ValueError, "[load] got a null buffer");
  return load_memory(static_cast<const unsigned char*>(data), size, &copy_tensor);
}

Value load(std::istream& in) { return load_stream(in, /*exact=*/false); }

Value load_mmap(int fd, uint64_t offset) {
  struct stat st;
  EMBER_CHECK(::fstat(fd, &st) == 0, RuntimeError, "[load] cannot stat the file: ", std::strerror(errno));
  EMBER_CHECK(S_ISREG(st.st_mode), RuntimeError, "[load] mmap=True needs a regular file");
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  EMBER_CHECK(offset <= size, RuntimeError, "[load] the file position ", offset, " is past its end (", size, " bytes)");
  EMBER_CHECK(size - offset >= 8, RuntimeError, "[load] the file is ", size - offset,
              " bytes long, too short for a safetensors header (at least 8 bytes)");
  // Private and writable: tensors may be written in place (copy-on-write),
  // and the file never changes.
  void* addr = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  EMBER_CHECK(addr != MAP_FAILED, RuntimeError, "[load] mmap failed: ", std::strerror(errno));
  auto mapping = std::make_shared<Mapping>(addr, size);
  auto borrow = [&](const TensorEntry& e, const unsigned char* bytes) -> Tensor {
    const uint64_t nbytes = e.end - e.begin;
    // Borrow only what is aligned for its element type; copy the rest (files
    // from other writers need not align their tensors).
    const uint64_t align = static_cast<uint64_t>(std::min<int64_t>(itemsize(to_real(e.dtype)), 8));
    if (nbytes == 0 || reinterpret_cast<uintptr_t>(bytes) % align != 0) return copy_tensor(e, bytes);
    Storage storage = borrow_storage(const_cast<unsigned char*>(bytes), nbytes, Device(DeviceType::CPU),
                                     new std::shared_ptr<Mapping>(mapping), &release_mapping);
    return Tensor(make_intrusive<TensorImpl>(std::move(storage), e.dtype, e.shape, contiguous_strides(e.shape), 0));
  };
  return load_memory(static_cast<const unsigned char*>(addr) + offset, size - offset, borrow);
}

Value load(const std::string& path, const LoadOptions& options) {
  if (options.mmap) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    EMBER_CHECK(fd >= 0, RuntimeError, "[load] cannot open '", path, "': ", std::strerror(errno));
    // The mapping outlives the descriptor.
    struct Closer {
      int fd;
      ~Closer() { ::close(fd); }
    } closer{fd};
    return load_mmap(fd, 0);
  }
  std::ifstream file(path, std::ios::binary);
  EMBER_CHECK(file.is_open(), RuntimeError, "[load] cannot open '", path, "': ", std::strerror(errno));
  return load_stream(file, /*exact=*/true);
}

}  // namespace ember
