// Tensor printing, following PyTorch's torch/_tensor_str.py step by step:
// gather the values shown (all, or the edges of a summarized tensor), pick a
// format from them (_Formatter), lay the cells out in nested brackets
// (_tensor_str_with_formatter / _vector_str), then add the suffixes
// (_str_intern / _add_suffixes).
#include "ember/core/printing.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <complex>
#include <limits>
#include <mutex>
#include <sstream>
#include <vector>

namespace ember {

namespace {

std::mutex g_options_mutex;
PrintOptions g_options;
std::atomic<GradFnNameHook> g_grad_fn_hook{nullptr};

// ---- number formatting, identical to Python's format(v, ".{p}f"/".{p}e")
// (both round the exact binary value to nearest, ties to even).

std::string nonfinite_str(double v) { return std::isnan(v) ? "nan" : v > 0 ? "inf" : "-inf"; }

std::string format_double(double v, std::chars_format fmt, int precision) {
  if (!std::isfinite(v)) return nonfinite_str(v);
  // Fixed notation of 1e308 has 309 digits before the point.
  std::string buf(static_cast<size_t>(precision) + 330, '\0');
  auto res = std::to_chars(buf.data(), buf.data() + buf.size(), v, fmt, precision);
  buf.resize(static_cast<size_t>(res.ptr - buf.data()));
  return buf;
}

std::string pad_left(std::string s, int64_t width) {
  if (static_cast<int64_t>(s.size()) < width) s.insert(0, static_cast<size_t>(width - s.size()), ' ');
  return s;
}

// PyTorch's _Formatter: one format and one width for every cell of a tensor
// (or of its real or imaginary parts), so that columns line up.
class Formatter {
 public:
  enum class Kind { Float, Int, Bool };

  static Formatter for_floats(const std::vector<double>& values, const PrintOptions& opts) {
    Formatter f(Kind::Float, opts.precision);
    std::vector<double> nonzero_finite;
    for (double v : values) {
      if (std::isfinite(v) && v != 0) nonzero_finite.push_back(v);
    }
    // No finite nonzero value: whole-number mode, width 1, and sci_mode
    // is not applied (PyTorch returns before looking at it).
    if (nonzero_finite.empty()) return f;
    double lo = std::numeric_limits<double>::infinity(), hi = 0;
    for (double v : nonzero_finite) {
      lo = std::min(lo, std::abs(v));
      hi = std::max(hi, std::abs(v));
      if (v != std::ceil(v)) f.int_mode_ = false;
    }
    f.sci_mode_ = opts.sci_mode.has_value() ? *opts.sci_mode
                                            : (hi / lo > 1000.0 || hi > 1.0e8 || lo < 1.0e-4);
    for (double v : nonzero_finite) {
      int64_t len;
      if (f.sci_mode_) {
        len = format_double(v, std::chars_format::scientific, f.precision_).size();
      } else if (f.int_mode_) {
        len = format_double(v, std::chars_format::fixed, 0).size() + 1;  // room for the "."
      } else {
        len = format_double(v, std::chars_format::fixed, f.precision_).size();
      }
      f.width_ = std::max(f.width_, len);
    }
    return f;
  }

  static Formatter for_ints(const std::vector<int64_t>& values, Kind kind) {
    Formatter f(kind, 0);
    for (int64_t v : values) f.width_ = std::max<int64_t>(f.width_, f.raw_int(v).size());
    return f;
  }

  int64_t width() const { return width_; }

  std::string format(double v) const {
    std::string s;
    if (sci_mode_) {
      s = format_double(v, std::chars_format::scientific, precision_);
    } else if (int_mode_) {
      s = format_double(v, std::chars_format::fixed, 0);
      if (std::isfinite(v)) s += '.';  // marks a floating tensor: "1."
    } else {
      s = format_double(v, std::chars_format::fixed, precision_);
    }
    return pad_left(std::move(s), width_);
  }

  std::string format(int64_t v) const { return pad_left(raw_int(v), width_); }

 private:
  Formatter(Kind kind, int precision) : kind_(kind), precision_(precision) {}

  std::string raw_int(int64_t v) const {
    if (kind_ == Kind::Bool) return v ? "True" : "False";
    return std::to_string(v);
  }

  Kind kind_;
  int precision_;
  bool int_mode_ = true;
  bool sci_mode_ = false;
  int64_t width_ = 1;
};

// "1.+2.j", "1.-2.j", "nan+nanj": the imaginary part loses its padding and
// gains a "+" unless it already has a sign (which covers -0.).
std::string complex_cell(std::complex<double> v, const Formatter& re, const Formatter& im) {
  std::string real_str = re.format(v.real());
  std::string imag_str = im.format(v.imag()) + "j";
  imag_str.erase(0, imag_str.find_first_not_of(' '));
  if (imag_str[0] == '+' || imag_str[0] == '-') return real_str + imag_str;
  return real_str + "+" + imag_str;
}

// The values a print shows. With summarization, every dim longer than
// 2*edge keeps its first and last `edge` items: each such dim becomes the two
// dims (2, edge) of one strided view, so they are gathered by a single copy
// however large the tensor is.
Tensor shown_values(const Tensor& t, bool summarize, int64_t edge, DimVector& kept, std::vector<bool>& cut) {
  DimVector sizes, strides;
  bool any_cut = false;
  for (int64_t d = 0; d < t.dim(); ++d) {
    int64_t n = t.sizes()[d], s = t.strides()[d];
    bool c = summarize && n - edge > edge;  // n > 2 * edge without overflow
    cut.push_back(c);
    if (c) {
      any_cut = true;
      sizes.push_back(2);
      strides.push_back((n - edge) * s);
      sizes.push_back(edge);
      strides.push_back(s);
      kept.push_back(2 * edge);
    } else {
      sizes.push_back(n);
      strides.push_back(s);
      kept.push_back(n);
    }
  }
  Tensor v = any_cut ? t.as_strided(sizes, strides) : t;
  // Device first, then dtype: a cross-device copy that keeps the dtype is
  // the one every backend provides.
  DType read = t.is_complex() ? DType::Complex128
               : t.is_floating_point() ? DType::Float64
                                       : DType::Int64;
  return v.to(Device(DeviceType::CPU)).to(read).contiguous();
}

// _tensor_str_with_formatter over already formatted cells (row-major over
// the kept sizes), with "..." where a dim was cut.
class Layout {
 public:
  Layout(const std::vector<std::string>& cells, const DimVector& kept, const std::vector<bool>& cut,
         int64_t edge, int64_t cell_width, int64_t linewidth)
      : cells_(cells), kept_(kept), cut_(cut), edge_(edge), cell_width_(cell_width), linewidth_(linewidth) {
    strides_.resize(kept.size());
    int64_t s = 1;
    for (int64_t d = static_cast<int64_t>(kept.size()) - 1; d >= 0; --d) {
      strides_[d] = s;
      s *= kept[d];
    }
  }

  std::string render(int64_t indent) const {
    if (kept_.empty()) return cells_[0];
    return render_dim(0, 0, indent);
  }

 private:
  // Items of dim d starting at `offset`, rendered by `item`, with "..." (or
  // `ellipsis`) between the two kept edges of a cut dim.
  template <class F>
  std::vector<std::string> items(size_t d, const std::string& ellipsis, F item) const {
    std::vector<std::string> out;
    for (int64_t i = 0; i < kept_[d]; ++i) {
      if (cut_[d] && i == edge_) out.push_back(ellipsis);
      out.push_back(item(i));
    }
    return out;
  }

  std::string render_dim(size_t d, int64_t offset, int64_t indent) const {
    if (d + 1 == kept_.size()) return render_row(offset, indent);
    auto slices = items(d, "...", [&](int64_t i) { return render_dim(d + 1, offset + i * strides_[d], indent + 1); });
    std::string sep(1, ',');
    sep.append(kept_.size() - d - 1, '\n').append(indent + 1, ' ');
    return bracket(join(slices, sep));
  }

  // _vector_str: wraps a row at linewidth, every line holding the same
  // number of cells.
  std::string render_row(int64_t offset, int64_t indent) const {
    int64_t per_line = std::max<int64_t>(
        1, static_cast<int64_t>(std::floor((double(linewidth_) - double(indent)) / double(cell_width_ + 2))));
    auto data = items(kept_.size() - 1, " ...", [&](int64_t i) { return cells_[offset + i]; });
    std::vector<std::string> lines;
    for (size_t i = 0; i < data.size(); i += per_line) {
      std::vector<std::string> line(data.begin() + i, data.begin() + std::min(data.size(), i + per_line));
      lines.push_back(join(line, ", "));
    }
    std::string sep(",\n");
    sep.append(indent + 1, ' ');
    return bracket(join(lines, sep));
  }

  // Appends rather than "[" + s + "]", which GCC 12 flags (-Wrestrict).
  static std::string bracket(const std::string& s) {
    std::string out(1, '[');
    out.append(s).push_back(']');
    return out;
  }

  static std::string join(const std::vector<std::string>& parts, const std::string& sep) {
    std::string out;
    for (size_t i = 0; i < parts.size(); ++i) {
      if (i) out += sep;
      out += parts[i];
    }
    return out;
  }

  const std::vector<std::string>& cells_;
  const DimVector& kept_;
  const std::vector<bool>& cut_;
  int64_t edge_, cell_width_, linewidth_;
  DimVector strides_;
};

// _tensor_str: the bracketed values of a nonempty tensor.
std::string values_str(const Tensor& t, int64_t indent, const PrintOptions& opts) {
  bool summarize = t.numel() > opts.threshold;
  // PyTorch shows nothing but "..." when asked to keep no edge items.
  if (summarize && opts.edgeitems == 0 && t.dim() > 0) return "[...]";
  DimVector kept;
  std::vector<bool> cut;
  Tensor v = shown_values(t, summarize, opts.edgeitems, kept, cut);
  int64_t n = v.numel();
  std::vector<std::string> cells;
  cells.reserve(n);
  int64_t cell_width;
  if (t.is_complex()) {
    const auto* p = v.data_ptr<std::complex<double>>();
    std::vector<double> re(n), im(n);
    for (int64_t i = 0; i < n; ++i) re[i] = p[i].real(), im[i] = p[i].imag();
    Formatter fre = Formatter::for_floats(re, opts), fim = Formatter::for_floats(im, opts);
    for (int64_t i = 0; i < n; ++i) cells.push_back(complex_cell(p[i], fre, fim));
    cell_width = fre.width() + fim.width() + 1;  // the "j"
  } else if (t.is_floating_point()) {
    const double* p = v.data_ptr<double>();
    std::vector<double> vals(p, p + n);
    Formatter f = Formatter::for_floats(vals, opts);
    for (double x : vals) cells.push_back(f.format(x));
    cell_width = f.width();
  } else {
    const int64_t* p = v.data_ptr<int64_t>();
    std::vector<int64_t> vals(p, p + n);
    Formatter f = Formatter::for_ints(vals, t.dtype() == DType::Bool ? Formatter::Kind::Bool : Formatter::Kind::Int);
    for (int64_t x : vals) cells.push_back(f.format(x));
    cell_width = f.width();
  }
  return Layout(cells, kept, cut, opts.edgeitems, cell_width, opts.linewidth).render(indent);
}

// "(0, 3)", "(0,)": Python's str(tuple(shape)).
std::string shape_tuple(const DimVector& sizes) {
  std::string s = "(";
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(sizes[i]);
  }
  return s + (sizes.size() == 1 ? ",)" : ")");
}

// _add_suffixes: ", suffix" on the same line while it fits in linewidth,
// otherwise on a new line indented under the first value.
std::string add_suffixes(std::string s, const std::vector<std::string>& suffixes, int64_t indent,
                         int64_t linewidth) {
  size_t nl = s.rfind('\n');
  int64_t last_line_len = static_cast<int64_t>(s.size()) - (nl == std::string::npos ? -1 : int64_t(nl)) + 1;
  for (const auto& suffix : suffixes) {
    int64_t len = static_cast<int64_t>(suffix.size());
    if (last_line_len + len + 2 > linewidth) {
      s += ",\n" + std::string(indent, ' ') + suffix;
      last_line_len = indent + len;
    } else {
      s += ", " + suffix;
      last_line_len += len + 2;
    }
  }
  return s + ")";
}

std::string dtype_suffix(DType t) { return "dtype=ember." + std::string(dtype_name(t)); }

}  // namespace

PrintOptions print_options_profile(const std::string& profile) {
  PrintOptions o;
  if (profile == "default") return o;
  if (profile == "short") {
    o.precision = 2;
    o.edgeitems = 2;
    return o;
  }
  if (profile == "full") {
    o.threshold = std::numeric_limits<int64_t>::max();
    return o;
  }
  EMBER_THROW(ValueError, "[set_printoptions] profile must be one of 'default', 'short' or 'full', got '",
              profile, "'");
}

PrintOptions get_print_options() {
  std::lock_guard<std::mutex> lock(g_options_mutex);
  return g_options;
}

void set_print_options(const PrintOptions& options) {
  EMBER_CHECK(options.precision >= 0, ValueError, "[set_printoptions] precision must be >= 0, got ",
              options.precision);
  EMBER_CHECK(options.edgeitems >= 0, ValueError, "[set_printoptions] edgeitems must be >= 0, got ",
              options.edgeitems);
  std::lock_guard<std::mutex> lock(g_options_mutex);
  g_options = options;
}

void set_grad_fn_name_hook(GradFnNameHook hook) { g_grad_fn_hook.store(hook); }
GradFnNameHook get_grad_fn_name_hook() { return g_grad_fn_hook.load(); }

// _str_intern for a plain strided tensor.
std::string Tensor::str() const {
  if (!defined()) return "[ Tensor (undefined) ]";
  const PrintOptions opts = get_print_options();
  const std::string prefix = "tensor(";
  const int64_t indent = static_cast<int64_t>(prefix.size());
  std::vector<std::string> suffixes;
  if (!is_cpu()) suffixes.push_back("device='" + device().str() + "'");
  std::string body;
  if (numel() == 0) {
    // Like NumPy, the shape is shown unless it is (0,); with no values to
    // tell int64 from float, any dtype but the default one is shown.
    if (dim() != 1) suffixes.push_back("size=" + shape_tuple(sizes()));
    if (dtype() != get_default_dtype()) suffixes.push_back(dtype_suffix(dtype()));
    body = "[]";
  } else {
    DType t = dtype();
    bool implied = t == get_default_dtype() || t == default_complex_dtype() || t == DType::Int64 ||
                   t == DType::Bool;
    if (!implied) suffixes.push_back(dtype_suffix(t));
    body = values_str(*this, indent, opts);
  }
  GradFnNameHook hook = get_grad_fn_name_hook();
  std::optional<std::string> grad_fn = hook ? hook(*this) : std::nullopt;
  if (grad_fn) {
    suffixes.push_back("grad_fn=<" + *grad_fn + ">");
  } else if (requires_grad()) {
    suffixes.push_back("requires_grad=True");
  }
  return add_suffixes(prefix + body, suffixes, indent, opts.linewidth);
}

std::ostream& operator<<(std::ostream& os, const Tensor& t) { return os << t.str(); }

}  // namespace ember
