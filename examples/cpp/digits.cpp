// Ember's main job in C++: the digits CNN of `python -m ember.examples.digits`
// written with the C++ API (ember::nn, ember::optim, ember::save/load).
//
//   example_digits [--epochs 20] [--batch-size 64] [--lr 3e-3] [--seed 0]
//                  [--threads N] [--data DIR] [--out DIR] [--min-accuracy 0.97]
//
// With no --data it trains on the 8x8 digits shipped with the Python package
// (python/ember/examples/data/digits.csv.gz: 64 pixel values 0..16, then the
// label), holding out 20% for testing. --data DIR reads the MNIST IDX files
// instead (train-images-idx3-ubyte, train-labels-idx1-ubyte,
// t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each raw or .gz).
// It prints loss, accuracy and throughput per epoch and the final test
// accuracy, saves the state dict (safetensors; the names are the Python
// model's, so Python can load it), reloads it into a fresh model, checks the
// predictions are identical, and exits non-zero when they differ or the test
// accuracy is below --min-accuracy. Built with -DEMBER_BUILD_EXAMPLES=ON when
// zlib is installed.
#include <ember/ember.h>
#include <zlib.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#ifndef EMBER_SOURCE_DIR
#define EMBER_SOURCE_DIR "."
#endif

namespace {

using namespace ember;
namespace F = ember::nn::functional;
namespace fs = std::filesystem;

struct Args {
  int64_t epochs = 20;
  int64_t batch_size = 64;
  double lr = 3e-3;
  uint64_t seed = 0;
  int threads = 0;  // 0: Ember's choice
  std::string data;  // MNIST directory; empty: the shipped digits
  std::string out = ".";
  double min_accuracy = 0.97;
};

// ---- data -------------------------------------------------------------------

struct Dataset {
  Tensor images;  // float32 (N, 1, H, W) in [0, 1]
  Tensor labels;  // int64 (N)
};

// The whole file, decompressed when it is gzip (zlib reads plain files as they are).
std::string read_file(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) throw std::runtime_error("[digits] cannot open " + path);
  std::string bytes;
  std::vector<char> buf(1 << 16);
  int n;
  while ((n = gzread(f, buf.data(), unsigned(buf.size()))) > 0) bytes.append(buf.data(), size_t(n));
  int err = 0;
  std::string msg = n < 0 ? gzerror(f, &err) : "";
  gzclose(f);
  if (n < 0) throw std::runtime_error("[digits] cannot read " + path + ": " + msg);
  return bytes;
}

std::string shipped_digits_path() {
  const std::string rel = "python/ember/examples/data/digits.csv.gz";
  if (fs::exists(rel)) return rel;  // run from the repository root
  return std::string(EMBER_SOURCE_DIR) + "/" + rel;  // run from anywhere else (the build dir)
}

// Rows of 64 pixels (0..16) and a label, comma separated.
Dataset load_shipped_digits(const std::string& path) {
  std::string text = read_file(path);
  std::vector<float> pixels;
  std::vector<int64_t> labels;
  const char* p = text.c_str();
  const char* end = p + text.size();
  while (p < end) {
    while (p < end && std::isspace(static_cast<unsigned char>(*p))) ++p;
    if (p == end) break;
    for (int col = 0; col < 65; ++col) {
      char* next;
      double v = std::strtod(p, &next);
      if (next == p) throw std::runtime_error("[digits] " + path + ": row " + std::to_string(labels.size() + 1) +
                                              " is not 65 comma-separated numbers");
      p = next;
      if (col < 64) pixels.push_back(float(v) / 16.0f);
      else labels.push_back(int64_t(v));
      if (col < 64) {
        while (p < end && (*p == ' ' || *p == '\t')) ++p;
        if (p < end && *p == ',') ++p;
      }
    }
  }
  int64_t n = int64_t(labels.size());
  Dataset d{empty({n, 1, 8, 8}, TensorOptions(DType::Float32)), empty({n}, TensorOptions(DType::Int64))};
  std::memcpy(d.images.data_ptr<float>(), pixels.data(), pixels.size() * sizeof(float));
  std::memcpy(d.labels.data_ptr<int64_t>(), labels.data(), labels.size() * sizeof(int64_t));
  return d;
}

// An IDX file: big-endian magic (the low byte is the number of dims), dims, uint8 data.
std::vector<uint8_t> read_idx(const std::string& path, std::vector<int64_t>& dims) {
  std::string bytes = read_file(path);
  auto be32 = [&](size_t at) {
    if (at + 4 > bytes.size()) throw std::runtime_error("[digits] " + path + " is truncated");
    const auto* b = reinterpret_cast<const unsigned char*>(bytes.data() + at);
    return (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) | (uint32_t(b[2]) << 8) | uint32_t(b[3]);
  };
  uint32_t magic = be32(0);
  if ((magic >> 8) != 0x08) throw std::runtime_error("[digits] " + path + " is not an IDX file of unsigned bytes");
  size_t ndim = magic & 0xFF, count = 1;
  dims.clear();
  for (size_t i = 0; i < ndim; ++i) {
    dims.push_back(be32(4 + 4 * i));
    count *= size_t(dims.back());
  }
  size_t at = 4 + 4 * ndim;
  if (bytes.size() < at + count) throw std::runtime_error("[digits] " + path + " is truncated");
  return std::vector<uint8_t>(bytes.begin() + long(at), bytes.begin() + long(at + count));
}

std::string find_idx(const std::string& dir, const std::string& stem) {
  std::string dotted = stem;
  dotted.replace(dotted.find("-idx"), 4, ".idx");
  for (const std::string& name : {stem, stem + ".gz", dotted, dotted + ".gz"}) {
    fs::path p = fs::path(dir) / name;
    if (fs::exists(p)) return p.string();
  }
  throw std::runtime_error("[digits] " + stem + " (or " + stem + ".gz) not found in " + dir);
}

Dataset load_mnist_pair(const std::string& dir, const std::string& images, const std::string& labels) {
  std::vector<int64_t> idims, ldims;
  std::vector<uint8_t> px = read_idx(find_idx(dir, images), idims);
  std::vector<uint8_t> lb = read_idx(find_idx(dir, labels), ldims);
  if (idims.size() != 3 || ldims.size() != 1 || idims[0] != ldims[0])
    throw std::runtime_error("[digits] " + images + " and " + labels + " do not hold matching images and labels");
  Dataset d{empty({idims[0], 1, idims[1], idims[2]}, TensorOptions(DType::Float32)),
            empty({ldims[0]}, TensorOptions(DType::Int64))};
  float* x = d.images.data_ptr<float>();
  for (size_t i = 0; i < px.size(); ++i) x[i] = float(px[i]) / 255.0f;
  int64_t* y = d.labels.data_ptr<int64_t>();
  for (size_t i = 0; i < lb.size(); ++i) y[i] = lb[i];
  return d;
}

Dataset subset(const Dataset& d, const Tensor& index) {
  return {index_select(d.images, 0, index), index_select(d.labels, 0, index)};
}

// A seeded permutation (not NumPy's: the same split on every run of this program).
std::pair<Dataset, Dataset> split(const Dataset& d, double test_fraction, uint64_t seed) {
  Generator g(seed);
  int64_t n = d.labels.size(0);
  Tensor order = randperm(n, TensorOptions(DType::Int64), &g);
  int64_t n_test = int64_t(std::llround(double(n) * test_fraction));
  return {subset(d, order.narrow(0, n_test, n - n_test)), subset(d, order.narrow(0, 0, n_test))};
}

// ---- model ------------------------------------------------------------------

// conv(32) - relu - conv(64) - relu - maxpool(2) - fc(128) - relu - dropout - fc(10),
// with the Python model's parameter names (features.0.weight, classifier.1.bias ...).
class DigitsCNN : public nn::UnaryModule {
 public:
  explicit DigitsCNN(int64_t image_size = 8) : nn::UnaryModule("DigitsCNN") {
    features = register_module("features", std::make_shared<nn::Sequential>(
        std::make_shared<nn::Conv2d>(1, 32, 3, /*stride=*/1, /*padding=*/1), std::make_shared<nn::ReLU>(),
        std::make_shared<nn::Conv2d>(32, 64, 3, /*stride=*/1, /*padding=*/1), std::make_shared<nn::ReLU>(),
        std::make_shared<nn::MaxPool2d>(2)));
    int64_t side = image_size / 2;
    classifier = register_module("classifier", std::make_shared<nn::Sequential>(
        std::make_shared<nn::Flatten>(), std::make_shared<nn::Linear>(64 * side * side, 128),
        std::make_shared<nn::ReLU>(), std::make_shared<nn::Dropout>(0.25), std::make_shared<nn::Linear>(128, 10)));
  }
  Tensor forward(const Tensor& x) override { return classifier->forward(features->forward(x)); }

  std::shared_ptr<nn::Sequential> features, classifier;
};

// ---- training ---------------------------------------------------------------

struct Evaluation {
  double loss = 0, accuracy = 0;
  Tensor predictions;  // int64 (N)
};

Evaluation evaluate(nn::UnaryModule& model, const Dataset& data, int64_t batch_size = 512) {
  model.eval();
  NoGradGuard no_grad;
  Evaluation e;
  std::vector<Tensor> preds;
  int64_t n = data.labels.size(0), correct = 0;
  for (int64_t start = 0; start < n; start += batch_size) {
    int64_t len = std::min(batch_size, n - start);
    Tensor x = data.images.narrow(0, start, len), y = data.labels.narrow(0, start, len);
    Tensor out = model.forward(x);
    e.loss += F::cross_entropy(out, y, {}, Reduction::Sum).item().to_double();
    Tensor p = argmax(out, 1);
    correct += sum(eq(p, y)).item().to_int();
    preds.push_back(p);
  }
  model.train();
  e.loss /= double(std::max<int64_t>(n, 1));
  e.accuracy = double(correct) / double(std::max<int64_t>(n, 1));
  e.predictions = preds.empty() ? empty({0}, TensorOptions(DType::Int64)) : cat(preds);
  return e;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::map<std::string, Tensor> to_state_dict(const Value& v) {
  std::map<std::string, Tensor> out;
  for (const DictEntry& e : v.entries()) out[std::get<std::string>(e.key)] = e.value.to_tensor();
  return out;
}

int run(const Args& args) {
  if (args.threads > 0) set_num_threads(args.threads);
  manual_seed(args.seed);  // initial weights and dropout masks
  Dataset train, test;
  std::string source;
  if (!args.data.empty()) {
    train = load_mnist_pair(args.data, "train-images-idx3-ubyte", "train-labels-idx1-ubyte");
    test = load_mnist_pair(args.data, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");
    source = "MNIST IDX files in " + args.data;
  } else {
    std::string path = shipped_digits_path();
    std::tie(train, test) = split(load_shipped_digits(path), 0.2, args.seed);
    source = "the 8x8 digits shipped with Ember (UCI, CC BY 4.0)";
  }
  const int64_t image_size = train.images.size(-1), n_train = train.labels.size(0);
  std::printf("data: %s: %lld training and %lld test images of %lldx%lld\n", source.c_str(), (long long)n_train,
              (long long)test.labels.size(0), (long long)train.images.size(-2), (long long)image_size);

  auto model = std::make_shared<DigitsCNN>(image_size);
  std::cout << model->repr() << "\n";
  optim::Adam optimizer(model->parameters(), optim::AdamOptions(args.lr));
  Generator shuffle(args.seed);  // the order of the mini-batches
  auto start = std::chrono::steady_clock::now();
  for (int64_t epoch = 1; epoch <= args.epochs; ++epoch) {
    // Cosine annealing over the run, stepped once per epoch (Python's CosineAnnealingLR).
    double lr = args.lr * (1 + std::cos(M_PI * double(epoch - 1) / double(args.epochs))) / 2;
    for (auto& group : optimizer.param_groups()) group.options().set_lr(lr);
    auto t0 = std::chrono::steady_clock::now();
    Tensor order = randperm(n_train, TensorOptions(DType::Int64), &shuffle);
    double loss_sum = 0;
    int64_t correct = 0;
    for (int64_t b = 0; b < n_train; b += args.batch_size) {
      Tensor idx = order.narrow(0, b, std::min(args.batch_size, n_train - b));
      Tensor x = index_select(train.images, 0, idx), y = index_select(train.labels, 0, idx);
      Tensor out = model->forward(x);
      Tensor loss = F::cross_entropy(out, y);
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
      NoGradGuard no_grad;
      loss_sum += loss.item().to_double() * double(idx.numel());
      correct += sum(eq(argmax(out, 1), y)).item().to_int();
    }
    double rate = double(n_train) / std::max(seconds_since(t0), 1e-9);
    Evaluation e = evaluate(*model, test);
    std::printf("epoch %2lld/%lld  loss %.4f  acc %5.1f%%  %8.0f samples/s   test loss %.4f  test acc %5.1f%%\n",
                (long long)epoch, (long long)args.epochs, loss_sum / double(n_train),
                100.0 * double(correct) / double(n_train), rate, e.loss, 100.0 * e.accuracy);
    std::fflush(stdout);
  }
  double elapsed = seconds_since(start);
  Evaluation final_eval = evaluate(*model, test);
  std::printf("trained %lld epochs in %.1f s on %d thread(s); test accuracy %.2f%%\n", (long long)args.epochs,
              elapsed, get_num_threads(), 100.0 * final_eval.accuracy);

  // Checkpoint round trip: the state dict through a safetensors file into a fresh model.
  fs::create_directories(args.out);
  std::string path = (fs::path(args.out) / "digits_cnn.safetensors").string();
  Value state = Value::dict();
  for (auto& [name, t] : model->state_dict()) state.insert(name, t);
  save(state, path);
  DigitsCNN fresh(image_size);
  fresh.load_state_dict(to_state_dict(load(path)));
  Evaluation reloaded = evaluate(fresh, test);
  bool identical = equal(final_eval.predictions, reloaded.predictions);
  if (!identical) {
    std::fprintf(stderr, "[digits] the reloaded checkpoint predicts differently from the trained model\n");
    return 1;
  }
  std::printf("checkpoint saved to %s; reloaded model gives identical predictions on %lld test images\n",
              path.c_str(), (long long)final_eval.predictions.numel());
  if (final_eval.accuracy < args.min_accuracy) {
    std::fprintf(stderr, "[digits] test accuracy %.2f%% is below %.2f%%\n", 100.0 * final_eval.accuracy,
                 100.0 * args.min_accuracy);
    return 1;
  }
  return 0;
}

// ---- command line -------------------------------------------------------------

const char* kUsage =
    "usage: example_digits [--epochs N] [--batch-size N] [--lr X] [--seed N] [--threads N]\n"
    "                      [--data DIR] [--out DIR] [--min-accuracy X]\n";

// --name value or --name=value; exits with status 2 on anything else.
Args parse_args(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i], value;
    if (arg == "-h" || arg == "--help") {
      std::printf("%s", kUsage);
      std::exit(0);
    }
    size_t eq_at = arg.find('=');
    if (eq_at != std::string::npos) {
      value = arg.substr(eq_at + 1);
      arg = arg.substr(0, eq_at);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      std::fprintf(stderr, "%sexample_digits: %s needs a value\n", kUsage, arg.c_str());
      std::exit(2);
    }
    try {
      size_t used = 0;
      auto whole = [&](size_t n) {
        if (n != value.size()) throw std::invalid_argument(value);
      };
      if (arg == "--epochs") a.epochs = std::stoll(value, &used), whole(used);
      else if (arg == "--batch-size") a.batch_size = std::stoll(value, &used), whole(used);
      else if (arg == "--lr") a.lr = std::stod(value, &used), whole(used);
      else if (arg == "--seed") a.seed = std::stoull(value, &used), whole(used);
      else if (arg == "--threads") a.threads = std::stoi(value, &used), whole(used);
      else if (arg == "--min-accuracy") a.min_accuracy = std::stod(value, &used), whole(used);
      else if (arg == "--data") a.data = value;
      else if (arg == "--out") a.out = value;
      else {
        std::fprintf(stderr, "%sexample_digits: unknown option %s\n", kUsage, arg.c_str());
        std::exit(2);
      }
    } catch (const std::logic_error&) {
      std::fprintf(stderr, "%sexample_digits: invalid value '%s' for %s\n", kUsage, value.c_str(), arg.c_str());
      std::exit(2);
    }
  }
  if (a.epochs < 1 || a.batch_size < 1 || a.threads < 0 || !(a.lr > 0)) {
    std::fprintf(stderr, "%sexample_digits: --epochs and --batch-size must be positive, --lr positive, "
                 "--threads non-negative\n", kUsage);
    std::exit(2);
  }
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  Args args = parse_args(argc, argv);
  try {
    return run(args);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
}
