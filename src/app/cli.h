// Command-line entry: parses the subcommand and dispatches (interface.md §1).
#ifndef MODELWATCH_APP_CLI_H_
#define MODELWATCH_APP_CLI_H_

namespace modelwatch::app {

// Exit codes of interface.md §1.
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitCheckFailed = 3;
inline constexpr int kExitTooLittleData = 4;

int Main(int argc, char** argv);

}  // namespace modelwatch::app

#endif  // MODELWATCH_APP_CLI_H_
