// The modelwatch binary: everything lives in mw_app; this file only hands over argv.
#include "app/cli.h"

int main(int argc, char** argv) { return modelwatch::app::Main(argc, argv); }
