// Scans along one dim: cumsum, cumprod, cummax, cummin.
#include "ember/core/reduce_kernels.h"
#include "ember/ops/reduce.h"

namespace ember {

namespace {

// Kernels get a contiguous input and a fresh contiguous output of the same dtype.
Tensor scan(const char* op, const DispatchStub<ScanKernel>& stub, const Tensor& a, int64_t dim,
            std::optional<DType> dtype) {
  int64_t d = wrap_dim(dim, a.dim(), op);
  DType t = dtype ? *dtype : (is_integral(a.dtype(), true) ? DType::Int64 : a.dtype());
  Tensor x = a.to(t).contiguous();
  Tensor out = empty(a.sizes(), TensorOptions(t).device(a.device()));
  if (out.numel() > 0) stub(a.device().type)(out, Tensor(), x, a.dim() == 0 ? 0 : d);
  return out;
}

std::pair<Tensor, Tensor> scan_indexed(const char* op, const DispatchStub<ScanKernel>& stub, const Tensor& a,
                                       int64_t dim) {
  int64_t d = wrap_dim(dim, a.dim(), op);
  EMBER_CHECK(!is_complex(a.dtype()), RuntimeError, "[", op, "] ", op, " is not implemented for dtype ", dtype_name(a.dtype()));
  Tensor x = a.contiguous();
  Tensor out = empty(a.sizes(), TensorOptions(a.dtype()).device(a.device()));
  Tensor idx = empty(a.sizes(), TensorOptions(DType::Int64).device(a.device()));
  if (out.numel() > 0) stub(a.device().type)(out, idx, x, a.dim() == 0 ? 0 : d);
  return {out, idx};
}

}  // namespace

Tensor cumsum(const Tensor& a, int64_t dim, std::optional<DType> dtype) {
  return scan("cumsum", cumsum_stub, a, dim, dtype);
}
Tensor cumprod(const Tensor& a, int64_t dim, std::optional<DType> dtype) {
  return scan("cumprod", cumprod_stub, a, dim, dtype);
}
std::pair<Tensor, Tensor> cummax(const Tensor& a, int64_t dim) { return scan_indexed("cummax", cummax_stub, a, dim); }
std::pair<Tensor, Tensor> cummin(const Tensor& a, int64_t dim) { return scan_indexed("cummin", cummin_stub, a, dim); }

}  // namespace ember
