// Compiled with the optim layer's include path: the trainer belongs to a
// higher layer, so this must not compile.
#include "descent/optim/sgd.hpp"
#include "descent/train/trainer.hpp"

int main() { return 0; }
