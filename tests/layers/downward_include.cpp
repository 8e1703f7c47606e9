// Compiled with the optim layer's include path: its own headers and core's.
#include "descent/core/error.hpp"
#include "descent/optim/adam.hpp"

int main() { return descent::AdamConfig{}.beta1 > 0 ? 0 : 1; }
