// Build identity, injected by CMake.
#ifndef MODELWATCH_APP_BUILD_INFO_H_
#define MODELWATCH_APP_BUILD_INFO_H_

namespace modelwatch::app {

inline constexpr const char* kVersion = MODELWATCH_VERSION;
inline constexpr const char* kRevision = MODELWATCH_REVISION;
inline constexpr const char* kCompiler = MODELWATCH_COMPILER;

}  // namespace modelwatch::app

#endif  // MODELWATCH_APP_BUILD_INFO_H_
