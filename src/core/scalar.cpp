#include "ember/core/scalar.h"

namespace ember {

DType Scalar::default_dtype() const {
  switch (kind_) {
    case Kind::Bool: return DType::Bool;
    case Kind::Int: return DType::Int64;
    case Kind::Float: return get_default_dtype();
    default: return default_complex_dtype();
  }
}

std::ostream& operator<<(std::ostream& os, const Scalar& s) {
  switch (s.kind()) {
    case Scalar::Kind::Bool: return os << (s.to_bool() ? "True" : "False");
    case Scalar::Kind::Int: return os << s.to_int();
    case Scalar::Kind::Float: return os << s.to_double();
    default: {
      auto c = s.to_complex();
      return os << "(" << c.real() << (c.imag() < 0 ? "" : "+") << c.imag() << "j)";
    }
  }
}

}  // namespace ember
