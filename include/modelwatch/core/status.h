// Status and Result<T>: how expected failures (I/O, configuration, bad input) are returned.
// Exceptions are not used on the data path; adapters convert third-party exceptions to these.
#ifndef MODELWATCH_CORE_STATUS_H_
#define MODELWATCH_CORE_STATUS_H_

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace modelwatch {

class Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status Error(std::string message) { return Status(std::move(message)); }

  bool ok() const { return !message_.has_value(); }
  const std::string& message() const {
    static const std::string kEmpty;
    return message_ ? *message_ : kEmpty;
  }

 private:
  explicit Status(std::string message) : message_(std::move(message)) {}
  std::optional<std::string> message_;
};

// Either a value or an error Status. Access to value() on an error aborts (a programming error).
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}  // NOLINT: must not be ok()
  bool ok() const { return std::holds_alternative<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T& value() & { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(v_); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace modelwatch

#endif  // MODELWATCH_CORE_STATUS_H_
