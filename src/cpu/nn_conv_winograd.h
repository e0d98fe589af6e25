#pragma once
// 3x3, stride-1 float32 convolutions by Winograd's minimal filtering
// F(2x2, 3x3) (nn_conv_winograd.cpp, Note [Winograd convolution]).
#include <cstdint>

#include "ember/core/nn_kernels.h"

namespace ember::conv_detail {

// Whether a non-transposed convolution of this geometry takes the Winograd
// path: a 2-D 3x3 kernel, stride 1, no dilation, one group, padding at most 2,
// and enough channels on both sides for its 16 products to pay.
bool winograd_applies(const ConvGeometry& g, int64_t groups, int64_t cin, int64_t cout);

// y (N, Cout, OH, OW) = conv(x (N, Cin, IH, IW), w (Cout, Cin, 3, 3), padding
// (pad_h, pad_w)) + bias (Cout, or null); OH = IH + 2 pad_h - 2, likewise OW.
// Every element of y is written. Samples and tile rows run in our pool.
void winograd_conv3x3(const float* x, const float* w, const float* bias, float* y, int64_t N, int64_t Cin,
                      int64_t Cout, int64_t IH, int64_t IW, int64_t pad_h, int64_t pad_w);

}  // namespace ember::conv_detail
