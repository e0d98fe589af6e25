#pragma once
// Helpers shared by the C++ nn layer tests: read a tensor's values as doubles
// and compare them with hand-worked numbers.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ember/ember.h"

namespace nn_test {

inline std::vector<double> values(const ember::Tensor& t) {
  ember::Tensor d = t.detach().to(ember::DType::Float64).contiguous();
  const double* p = d.data_ptr<double>();
  return std::vector<double>(p, p + d.numel());
}

inline void expect_values(const ember::Tensor& t, const std::vector<double>& want, double tol = 1e-5) {
  auto got = values(t);
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], tol) << "element " << i;
}

inline void expect_same(const ember::Tensor& a, const ember::Tensor& b, double tol = 1e-6) {
  ASSERT_EQ(a.sizes(), b.sizes());
  expect_values(a, values(b), tol);
}

// A float32 tensor of the given values and shape.
inline ember::Tensor f32(std::initializer_list<double> v, const ember::DimVector& shape) {
  return ember::tensor(v, ember::TensorOptions(ember::DType::Float32)).reshape(shape);
}

// The message of the error `fn` throws as E (fails the test when it throws nothing).
template <class E, class Fn>
std::string error_of(Fn&& fn) {
  try {
    fn();
  } catch (const E& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an exception";
  return "";
}

inline bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace nn_test
