// The training methods that take one step per shuffled minibatch: the loss
// and gradient of the next batch, then the method's step. An epoch is one
// pass of batches over the training set.
//   FirstOrderMethod   an optimizer of the registry (sgd, momentum, adam, ...)
//                      with the config's clipping and parameter groups
//   OnlineLbfgsMethod  oLBFGS, whose step takes a second gradient of the same
//                      batch (Schraudolph, Yu & Guenter 2007)
#pragma once

#include <memory>
#include <optional>

#include "descent/optim/online_lbfgs.hpp"
#include "descent/optim/optimizer.hpp"
#include "descent/train/minibatch_order.hpp"
#include "descent/train/training_method.hpp"

namespace descent {

class MinibatchMethod : public TrainingMethod {
 public:
  MinibatchMethod(const TrainConfig& config, ShardObjective& objective, Network& network,
                  std::size_t train_size);

  IterationResult iterate(std::size_t iteration, double learning_rate) override;
  std::size_t epochs_done() const override { return order_.epochs_done(); }
  void locate(Progress& progress) const override;
  void save(ByteWriter& out) const override;
  void load(ByteReader& in) override;

 protected:
  // The update from the gradient of the batch in the network's grads(); a
  // batch whose loss is not finite gets none.
  virtual void step(double learning_rate) = 0;
  virtual void save_state(ByteWriter& out) const = 0;
  virtual void load_state(ByteReader& in) = 0;

  ShardObjective& objective_;
  Network& network_;

 private:
  MinibatchOrder order_;
};

class FirstOrderMethod final : public MinibatchMethod {
 public:
  FirstOrderMethod(const TrainConfig& config, ShardObjective& objective, Network& network,
                   std::size_t train_size);

 private:
  void step(double learning_rate) override;
  void save_state(ByteWriter& out) const override { optimizer_->save(out); }
  void load_state(ByteReader& in) override { optimizer_->load(in); }

  std::unique_ptr<Optimizer<float>> optimizer_;
};

class OnlineLbfgsMethod final : public MinibatchMethod {
 public:
  OnlineLbfgsMethod(const TrainConfig& config, ShardObjective& objective, Network& network,
                    std::size_t train_size);

 private:
  void step(double learning_rate) override;
  void save_state(ByteWriter& out) const override { online_lbfgs_.save(out); }
  void load_state(ByteReader& in) override { online_lbfgs_.load(in); }

  OnlineLbfgs<float> online_lbfgs_;
};

}  // namespace descent
