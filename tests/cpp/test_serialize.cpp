// ember::save / ember::load in C++: the Value tree, byte-exact round trips of
// every dtype through streams, files, buffers and mmap, the file layout, and
// malformed files that must raise RuntimeError.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ember/ember.h"

using namespace ember;

namespace {

const DType kAllDTypes[] = {DType::Bool,    DType::UInt8,   DType::Int8,      DType::Int16,
                            DType::Int32,   DType::Int64,   DType::Float16,   DType::BFloat16,
                            DType::Float32, DType::Float64, DType::Complex64, DType::Complex128};

// A tensor whose bytes follow a fixed pattern (bools stay 0/1).
Tensor patterned(DType dtype, const DimVector& shape) {
  Tensor t = empty(shape, TensorOptions(dtype));
  auto* p = static_cast<unsigned char*>(t.data_ptr());
  for (int64_t i = 0; i < t.nbytes(); ++i) p[i] = dtype == DType::Bool ? i % 3 == 0 : static_cast<unsigned char>(i * 37 + 11);
  return t;
}

bool same_bytes(const Tensor& a, const Tensor& b) {
  Tensor ca = a.contiguous(), cb = b.contiguous();
  return ca.dtype() == cb.dtype() && ca.sizes() == cb.sizes() &&
         std::memcmp(ca.data_ptr(), cb.data_ptr(), static_cast<size_t>(ca.nbytes())) == 0;
}

std::string to_bytes(const Value& v) {
  std::ostringstream os;
  save(v, os);
  return os.str();
}

Value from_bytes(const std::string& s) {
  std::istringstream is(s);
  return load(is);
}

std::string temp_path(const char* name) {
  return (std::filesystem::temp_directory_path() / (std::string("ember_test_serialize_") + std::to_string(::getpid()) + "_" + name)).string();
}

// A file: 8-byte length, header text, data.
std::string make_file(const std::string& header, const std::string& data = "", int64_t length = -1) {
  uint64_t n = length < 0 ? header.size() : static_cast<uint64_t>(length);
  std::string out(8, '\0');
  for (int k = 0; k < 8; ++k) out[k] = static_cast<char>(n >> (8 * k));
  return out + header + data;
}

void expect_load_error(const std::string& file, const std::string& needle) {
  try {
    load(file.data(), file.size());
    ADD_FAILURE() << "no error; expected one containing: " << needle;
  } catch (const RuntimeError& e) {
    std::string msg = e.what();
    EXPECT_EQ(msg.rfind("[load] ", 0), 0u) << msg;
    EXPECT_NE(msg.find(needle), std::string::npos) << "message: " << msg << "\nexpected: " << needle;
  }
}

}  // namespace

TEST(Value, KindsAndAccessors) {
  EXPECT_TRUE(Value().is_none());
  EXPECT_EQ(Value(true).to_bool(), true);
  EXPECT_EQ(Value(int64_t(-5)).to_int(), -5);
  EXPECT_EQ(Value(2.5).to_double(), 2.5);
  EXPECT_EQ(Value("hi").to_string(), "hi");
  Value d = Value::dict();
  d.insert(std::string("a"), Value(1));
  d.insert(int64_t(7), Value::list({Value(1), Value("x")}));
  EXPECT_EQ(d.at(std::string("a")).to_int(), 1);
  EXPECT_EQ(d.at(int64_t(7)).items().size(), 2u);
  EXPECT_EQ(d.find(std::string("zzz")), nullptr);
  EXPECT_THROW(d.at(int64_t(8)), IndexError);
  EXPECT_THROW(Value(1).to_string(), TypeError);
  EXPECT_THROW(Value("s").items(), TypeError);
  EXPECT_STREQ(kind_name(Value::tuple().kind()), "tuple");
}

TEST(Serialize, EveryDTypeRoundTripsByteExact) {
  for (DType dt : kAllDTypes) {
    Value sd = Value::dict();
    sd.insert(std::string("m"), patterned(dt, {3, 5}));
    sd.insert(std::string("s"), patterned(dt, {}));
    sd.insert(std::string("e"), patterned(dt, {0, 4}));
    Value out = from_bytes(to_bytes(sd));
    ASSERT_TRUE(out.is_dict());
    ASSERT_EQ(out.entries().size(), 3u);
    for (const char* k : {"m", "s", "e"}) {
      EXPECT_TRUE(same_bytes(out.at(std::string(k)).to_tensor(), sd.at(std::string(k)).to_tensor()))
          << dtype_name(dt) << " " << k;
    }
  }
}

TEST(Serialize, PlainStateDictLayoutIsSafetensors) {
  Value sd = Value::dict();
  sd.insert(std::string("w"), full({2}, Scalar(1.5), TensorOptions(DType::Float32)));
  sd.insert(std::string("b"), full({1}, Scalar(int64_t(3)), TensorOptions(DType::Int64)));
  std::string bytes = to_bytes(sd);
  uint64_t n = 0;
  for (int k = 7; k >= 0; --k) n = (n << 8) | static_cast<unsigned char>(bytes[k]);
  EXPECT_EQ(n % 8, 0u);
  std::string header = bytes.substr(8, n);
  // Wider dtypes first so every tensor is aligned to its element size.
  EXPECT_NE(header.find(R"("w":{"dtype":"F32","shape":[2],"data_offsets":[8,16]})"), std::string::npos) << header;
  EXPECT_NE(header.find(R"("b":{"dtype":"I64","shape":[1],"data_offsets":[0,8]})"), std::string::npos) << header;
  EXPECT_EQ(header.find("__metadata__"), std::string::npos);
  EXPECT_EQ(bytes.size(), 8 + n + 16);
  float w[2];
  std::memcpy(w, bytes.data() + 8 + n + 8, 8);
  EXPECT_EQ(w[0], 1.5f);
  EXPECT_EQ(w[1], 1.5f);
}

TEST(Serialize, NestedValuesRoundTrip) {
  Tensor t = patterned(DType::Float32, {2, 3});
  Value state = Value::dict();
  Value slot = Value::dict();
  slot.insert(std::string("step"), Value(int64_t(10)));
  slot.insert(std::string("exp_avg"), t);
  state.insert(int64_t(0), slot);
  Value group = Value::dict();
  group.insert(std::string("lr"), Value(0.01));
  group.insert(std::string("betas"), Value::tuple({Value(0.9), Value(0.999)}));
  group.insert(std::string("nan"), Value(std::nan("")));
  group.insert(std::string("inf"), Value(-HUGE_VAL));
  group.insert(std::string("none"), Value());
  group.insert(std::string("name"), Value("ünïcode \"quoted\"\n"));
  Value root = Value::dict();
  root.insert(std::string("state"), state);
  root.insert(std::string("param_groups"), Value::list({group}));

  Value out = from_bytes(to_bytes(root));
  const Value& s0 = out.at(std::string("state")).at(int64_t(0));
  EXPECT_EQ(s0.at(std::string("step")).to_int(), 10);
  EXPECT_TRUE(same_bytes(s0.at(std::string("exp_avg")).to_tensor(), t));
  const Value& g = out.at(std::string("param_groups")).items().at(0);
  EXPECT_EQ(g.at(std::string("lr")).to_double(), 0.01);
  EXPECT_TRUE(g.at(std::string("betas")).is_tuple());
  EXPECT_EQ(g.at(std::string("betas")).items()[1].to_double(), 0.999);
  EXPECT_TRUE(std::isnan(g.at(std::string("nan")).to_double()));
  EXPECT_EQ(g.at(std::string("inf")).to_double(), -HUGE_VAL);
  EXPECT_TRUE(g.at(std::string("none")).is_none());
  EXPECT_EQ(g.at(std::string("name")).to_string(), "ünïcode \"quoted\"\n");
}

TEST(Serialize, NonContiguousTensorsAreWrittenContiguous) {
  Tensor base = patterned(DType::Int32, {4, 6});
  Tensor view = base.transpose(0, 1).slice(0, 1, 6, 2);
  Value out = from_bytes(to_bytes(Value::list({view})));
  const Tensor& t = out.items()[0].to_tensor();
  EXPECT_TRUE(t.is_contiguous());
  EXPECT_TRUE(same_bytes(t, view));
}

TEST(Serialize, FilesAndMmap) {
  std::string path = temp_path("files.safetensors");
  Tensor big = patterned(DType::Float64, {1000});
  Value v = Value::dict();
  v.insert(std::string("big"), big);
  v.insert(std::string("n"), Value(int64_t(3)));
  save(v, path);
  for (bool mmap : {false, true}) {
    Value out = load(path, LoadOptions{mmap});
    EXPECT_TRUE(same_bytes(out.at(std::string("big")).to_tensor(), big)) << mmap;
    EXPECT_EQ(out.at(std::string("n")).to_int(), 3);
  }
  // Mapped tensors stay valid after the file is gone, and writes stay private.
  Value mapped = load(path, LoadOptions{true});
  std::remove(path.c_str());
  Tensor m = mapped.at(std::string("big")).to_tensor();
  m.fill_(Scalar(2.0));
  EXPECT_EQ(m.data_ptr<double>()[999], 2.0);
  EXPECT_THROW(load(path), RuntimeError);
}

TEST(Serialize, MmapFromDescriptorOffset) {
  std::string path = temp_path("offset.safetensors");
  std::string bytes = "PREFIX" + to_bytes(Value::list({patterned(DType::Int16, {7})}));
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  int fd = ::open(path.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  Value out = load_mmap(fd, 6);
  ::close(fd);
  std::remove(path.c_str());
  EXPECT_TRUE(same_bytes(out.items()[0].to_tensor(), patterned(DType::Int16, {7})));
}

// A stream that cannot seek, as a pipe.
class PipeBuf : public std::streambuf {
 public:
  explicit PipeBuf(std::string s) : s_(std::move(s)) { setg(s_.data(), s_.data(), s_.data() + s_.size()); }

 protected:
  pos_type seekoff(off_type, std::ios_base::seekdir, std::ios_base::openmode) override { return pos_type(off_type(-1)); }

 private:
  std::string s_;
};

TEST(Serialize, NonSeekableStream) {
  Tensor t = patterned(DType::Complex64, {3, 2});
  PipeBuf buf(to_bytes(Value::tuple({t, Value("x")})));
  std::istream in(&buf);
  Value out = load(in);
  EXPECT_TRUE(same_bytes(out.items()[0].to_tensor(), t));
  // A lying header over a pipe: the claimed terabyte is never allocated.
  PipeBuf lie(make_file(R"({"x":{"dtype":"F32","shape":[274877906944],"data_offsets":[0,1099511627776]}})", "12345678"));
  std::istream lying(&lie);
  try {
    load(lying);
    ADD_FAILURE() << "no error";
  } catch (const RuntimeError& e) {
    EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
  }
}

TEST(Serialize, SaveRejectsTooDeepValues) {
  Value v = Value(int64_t(1));
  for (int k = 0; k < kMaxValueDepth + 1; ++k) v = Value::list({v});
  EXPECT_THROW(to_bytes(v), ValueError);
}

TEST(Serialize, HostileFiles) {
  const std::string f32x2 = R"({"dtype":"F32","shape":[2],"data_offsets":[0,8]})";
  const std::string eight(8, '\0');
  expect_load_error("", "too short");
  expect_load_error(make_file("{}", "", 1000), "larger than the 2 bytes");
  expect_load_error(make_file("{}", "", 200000000), "limit of 100000000");
  expect_load_error(make_file("{\"x\":"), "invalid JSON");
  expect_load_error(make_file("{\"\xff\":1}"), "invalid UTF-8");
  expect_load_error(make_file(std::string(100000, '[') + std::string(100000, ']')), "nesting deeper");
  expect_load_error(make_file(R"({"x":)" + f32x2 + R"(,"x":)" + f32x2 + "}", eight), "duplicate key");
  expect_load_error(make_file(R"({"x":{"dtype":"F32","shape":[2]}})", eight), "no 'data_offsets'");
  expect_load_error(make_file(R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"y":1}})", eight),
                    "unexpected field 'y'");
  expect_load_error(make_file(R"({"x":{"dtype":"Z1","shape":[2],"data_offsets":[0,8]}})", eight), "unknown dtype");
  expect_load_error(make_file(R"({"x":{"dtype":"F32","shape":[-1],"data_offsets":[0,8]}})", eight), "negative");
  expect_load_error(make_file(R"({"x":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,8]}})", eight),
                    "overflows");
  expect_load_error(make_file(R"({"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", eight), "need 12");
  expect_load_error(make_file(R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", "1234"), "truncated");
  expect_load_error(make_file(R"({"x":)" + f32x2 + R"(,"y":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                              std::string(12, '\0')),
                    "overlapping");
  expect_load_error(make_file(R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})", std::string(16, '\0')),
                    "hole");
  expect_load_error(make_file(R"({"x":)" + f32x2 + "}", eight + "extra"), "cover the data exactly");
  expect_load_error(make_file(R"({"__metadata__":{"ember.structure":"[{\"tensor\":\"gone\"}]"}})"),
                    "'gone' that the file does not hold");
  expect_load_error(make_file(R"({"__metadata__":{"ember.structure":"[]"},"x":)" + f32x2 + "}", eight),
                    "'x' is not referenced");
}

TEST(Serialize, SafetensorsFileWithoutEmberMetadataLoadsAsDict) {
  std::string data(12, '\0');
  float vals[3] = {1.0f, -2.0f, 0.5f};
  std::memcpy(data.data(), vals, 12);
  std::string file = make_file(
      R"({"__metadata__":{"format":"pt"},"b":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},"a":{"dtype":"BOOL","shape":[0],"data_offsets":[12,12]}}   )",
      data);
  Value out = load(file.data(), file.size());
  ASSERT_EQ(out.entries().size(), 2u);
  EXPECT_EQ(std::get<std::string>(out.entries()[0].key), "b");  // header order
  EXPECT_EQ(out.at(std::string("b")).to_tensor().data_ptr<float>()[1], -2.0f);
  EXPECT_EQ(out.at(std::string("a")).to_tensor().numel(), 0);
}

TEST(Serialize, RandomCorruptionNeverCrashes) {
  Value state = Value::dict();
  state.insert(int64_t(0), Value::tuple({patterned(DType::Float32, {2, 3}), Value(1.5), Value("name")}));
  state.insert(std::string("c"), patterned(DType::Complex128, {2}));
  const std::string good = to_bytes(state);
  uint64_t seed = 12345;
  auto next = [&seed](uint64_t n) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return (seed >> 33) % n;
  };
  int errors = 0;
  for (int trial = 0; trial < 500; ++trial) {
    std::string bad = good;
    for (int k = 0, edits = 1 + static_cast<int>(next(4)); k < edits; ++k) {
      size_t pos = next(bad.size());
      if (next(3) == 0) bad.erase(pos, 1 + next(8));
      else bad[pos] = static_cast<char>(next(256));
    }
    try {
      load(bad.data(), bad.size());
    } catch (const RuntimeError&) {
      ++errors;
    }
  }
  EXPECT_GT(errors, 200);
}
