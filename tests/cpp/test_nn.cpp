// The C++ nn API: registration, names, state dicts, Linear values and
// gradients (worked out by hand), modes, errors.
#include <gtest/gtest.h>

#include "ember/ember.h"

using namespace ember;

TEST(NN, SequentialNamesMatchPython) {
  auto model = std::make_shared<nn::Sequential>(std::initializer_list<std::shared_ptr<nn::UnaryModule>>{
      std::make_shared<nn::Flatten>(), std::make_shared<nn::Linear>(4, 3), std::make_shared<nn::ReLU>(),
      std::make_shared<nn::Linear>(3, 2, false)});
  auto names = model->named_parameters();
  ASSERT_EQ(names.size(), 3u);
  EXPECT_EQ(names[0].first, "1.weight");
  EXPECT_EQ(names[1].first, "1.bias");
  EXPECT_EQ(names[2].first, "3.weight");
  EXPECT_EQ(model->parameters()[0].sizes(), DimVector({3, 4}));
  EXPECT_TRUE(model->parameters()[0].requires_grad());
  EXPECT_NE(model->repr().find("(1): Linear(in_features=4, out_features=3, bias=True)"), std::string::npos);
}

TEST(NN, LinearInitBoundsValuesAndGradient) {
  nn::Linear fc(4, 2);
  double bound = 0.5;  // 1/sqrt(4)
  Tensor w = fc.weight.contiguous();
  for (int64_t i = 0; i < w.numel(); ++i) {
    float v = w.data_ptr<float>()[i];
    EXPECT_LE(std::abs(v), bound);
  }
  Tensor x = ones({3, 4});
  Tensor y = fc(x);
  EXPECT_EQ(y.sizes(), DimVector({3, 2}));
  sum(y).backward();
  // d sum(x W^T + b)/dW = column sums of x = 3 for every weight; db = 3.
  EXPECT_FLOAT_EQ(fc.weight.grad().contiguous().data_ptr<float>()[5], 3.0f);
  EXPECT_FLOAT_EQ(fc.bias.grad().contiguous().data_ptr<float>()[1], 3.0f);
  fc.zero_grad();
  EXPECT_FALSE(fc.weight.grad().defined());
}

TEST(NN, StateDictRoundTripAndErrors) {
  nn::Linear a(3, 2), b(3, 2);
  b.load_state_dict(a.state_dict());
  EXPECT_TRUE(equal(a.weight, b.weight));
  auto sd = a.state_dict();
  sd.erase("bias");
  sd["extra"] = ones({1});
  try {
    b.load_state_dict(sd);
    FAIL() << "expected an error";
  } catch (const RuntimeError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("Missing key(s) in state_dict: \"bias\""), std::string::npos) << msg;
    EXPECT_NE(msg.find("Unexpected key(s) in state_dict: \"extra\""), std::string::npos) << msg;
  }
  b.load_state_dict(sd, /*strict=*/false);
  std::map<std::string, Tensor> bad = a.state_dict();
  bad["weight"] = ones({5, 5});
  EXPECT_THROW(b.load_state_dict(bad), RuntimeError);
}

TEST(NN, TrainEvalAndDtype) {
  nn::Sequential s({std::make_shared<nn::Linear>(2, 2)});
  s.eval();
  EXPECT_FALSE(s[0]->is_training());
  s.train();
  EXPECT_TRUE(s[0]->is_training());
  s.to(DType::Float64);
  EXPECT_EQ(s.parameters()[0].dtype(), DType::Float64);
  EXPECT_TRUE(s.parameters()[0].requires_grad());
}
