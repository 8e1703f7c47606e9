// An orthonormal basis of a matrix's column span by Householder QR (Golub &
// Van Loan, Matrix Computations, section 5.2), in place and without
// allocation, as numpy.linalg.qr's reduced Q (LAPACK's dgeqrf and dorgqr):
// the same reflectors and signs (beta = -sign(alpha) ||x||), so for input of
// full column rank Q agrees with numpy's to rounding.
#pragma once

#include <Eigen/Core>

namespace descent {

// a (m x n) is overwritten by its factorization; q (m x min(m, n)) receives
// the first min(m, n) columns of Q. `scratch` holds at least 2 n doubles.
void thin_q(Eigen::Ref<Eigen::MatrixXd> a, Eigen::Ref<Eigen::MatrixXd> q, double* scratch);

}  // namespace descent
