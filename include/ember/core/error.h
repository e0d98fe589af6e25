#pragma once
// Typed errors. Each maps to the Python exception of the same name in the
// bindings. Messages start with the op's name in brackets: "[view] ...".
#include <sstream>
#include <stdexcept>
#include <string>

#include "ember/core/macros.h"

namespace ember {

class EMBER_API Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
// Each class below becomes the Python exception of the same name.
class EMBER_API TypeError : public Error { public: using Error::Error; };
class EMBER_API ValueError : public Error { public: using Error::Error; };
class EMBER_API IndexError : public Error { public: using Error::Error; };
class EMBER_API RuntimeError : public Error { public: using Error::Error; };
class EMBER_API NotImplementedError : public Error { public: using Error::Error; };

namespace detail {
template <class... Args>
std::string str_cat(const Args&... args) {
  std::ostringstream os;
  (os << ... << args);
  return os.str();
}
}  // namespace detail

// EMBER_CHECK(cond, ErrorType, message parts...) throws ErrorType with the
// parts streamed together when cond is false.
#define EMBER_CHECK(cond, ErrorType, ...)                               \
  do {                                                                  \
    if (EMBER_UNLIKELY(!(cond))) {                                      \
      throw ::ember::ErrorType(::ember::detail::str_cat(__VA_ARGS__)); \
    }                                                                   \
  } while (0)

#define EMBER_THROW(ErrorType, ...) \
  throw ::ember::ErrorType(::ember::detail::str_cat(__VA_ARGS__))

}  // namespace ember
