// einsum: parse the equation, take diagonals for subscripts repeated within
// an operand, then contract operands left to right. Each contraction sums
// away the subscripts no later operand or the output needs, permutes both
// sides to (batch, free, contracted) order and runs one batched product.
#include <algorithm>
#include <array>
#include <string>

#include "ember/ops/linalg.h"

namespace ember {

namespace {

constexpr int kLetters = 52;  // A-Z then a-z: ASCII order, as PyTorch sorts them
constexpr int kEllipsis = -1;

int label_of(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return 26 + (c - 'a');
  return -2;
}
char letter_of(int id) { return id < 26 ? char('A' + id) : char('a' + id - 26); }

// Subscripts of one term; kEllipsis marks "...". `offset` is the position of
// the term in the equation, for error messages.
std::vector<int> parse_term(std::string_view term, size_t offset) {
  std::vector<int> out;
  bool ellipsis = false;
  for (size_t i = 0; i < term.size(); ++i) {
    if (term[i] == '.') {
      EMBER_CHECK(!ellipsis && term.substr(i, 3) == "...", RuntimeError,
                  "[einsum] found '.' for operand at position ", offset + i,
                  " that is not part of any ellipsis, or more than one ellipsis in a term");
      ellipsis = true;
      out.push_back(kEllipsis);
      i += 2;
      continue;
    }
    const int id = label_of(term[i]);
    EMBER_CHECK(id >= 0, RuntimeError, "[einsum] invalid subscript given at index ", offset + i,
                " in the equation string, subscripts must be in [a-zA-Z]");
    out.push_back(id);
  }
  return out;
}

struct Term {
  Tensor t;
  std::vector<int> labels;  // one per dim, distinct
};

int64_t index_of(const std::vector<int>& v, int x) {
  auto it = std::find(v.begin(), v.end(), x);
  return it == v.end() ? -1 : int64_t(it - v.begin());
}

// Sums away the labels of `term` that `keep` does not hold.
Term sum_unneeded(Term term, const std::vector<bool>& keep, DType dt) {
  DimVector perm;
  std::vector<int> kept, summed;
  for (size_t i = 0; i < term.labels.size(); ++i)
    if (keep[term.labels[i]]) perm.push_back(int64_t(i)), kept.push_back(term.labels[i]);
  for (size_t i = 0; i < term.labels.size(); ++i)
    if (!keep[term.labels[i]]) perm.push_back(int64_t(i)), summed.push_back(term.labels[i]);
  if (summed.empty()) return term;
  Tensor s = detail::sum_trailing(term.t.permute(perm), int64_t(summed.size()), "einsum");
  return {s.dtype() == dt ? s : s.to(dt), kept};
}

// The contraction of two terms, keeping the labels in `keep`.
Term contract(Term a, Term b, std::vector<bool> keep, DType dt) {
  // Labels of one side only that nobody needs are summed first.
  std::vector<bool> keep_a = keep, keep_b = keep;
  for (int l : b.labels) keep_a[l] = true;
  for (int l : a.labels) keep_b[l] = true;
  a = sum_unneeded(std::move(a), keep_a, dt);
  b = sum_unneeded(std::move(b), keep_b, dt);
  std::vector<int> batch, a_only, b_only, contracted;
  for (int l : a.labels) {
    const bool in_b = index_of(b.labels, l) >= 0;
    (in_b ? (keep[l] ? batch : contracted) : a_only).push_back(l);
  }
  for (int l : b.labels)
    if (index_of(a.labels, l) < 0) b_only.push_back(l);
  auto size_in = [](const Term& t, int l) {
    const int64_t i = index_of(t.labels, l);
    return i < 0 ? int64_t(1) : t.t.size(i);
  };
  DimVector perm_a, perm_b, exp_a, exp_b, out_shape;
  int64_t nb = 1, m = 1, k = 1, n = 1;
  for (int l : batch) {
    const int64_t s = std::max(size_in(a, l), size_in(b, l));
    perm_a.push_back(index_of(a.labels, l)), perm_b.push_back(index_of(b.labels, l));
    exp_a.push_back(s), exp_b.push_back(s), out_shape.push_back(s), nb *= s;
  }
  for (int l : a_only) {
    perm_a.push_back(index_of(a.labels, l)), exp_a.push_back(size_in(a, l));
    out_shape.push_back(size_in(a, l)), m *= size_in(a, l);
  }
  for (int l : contracted) {
    const int64_t s = std::max(size_in(a, l), size_in(b, l));
    perm_a.push_back(index_of(a.labels, l)), perm_b.push_back(index_of(b.labels, l));
    exp_a.push_back(s), exp_b.push_back(s), k *= s;
  }
  for (int l : b_only) {
    perm_b.push_back(index_of(b.labels, l)), exp_b.push_back(size_in(b, l));
    out_shape.push_back(size_in(b, l)), n *= size_in(b, l);
  }
  Tensor lhs = a.t.permute(perm_a).expand(exp_a).reshape({nb, m, k});
  Tensor rhs = b.t.permute(perm_b).expand(exp_b).reshape({nb, k, n});
  Tensor out = detail::bmm_core(lhs, rhs, false, "einsum").view(out_shape);
  std::vector<int> labels = batch;
  labels.insert(labels.end(), a_only.begin(), a_only.end());
  labels.insert(labels.end(), b_only.begin(), b_only.end());
  return {out, labels};
}

}  // namespace

Tensor einsum(std::string_view equation_in, const std::vector<Tensor>& operands) {
  std::string equation;
  for (char c : equation_in)
    if (c != ' ') equation.push_back(c);
  EMBER_CHECK(!operands.empty(), RuntimeError, "[einsum] must provide at least one operand");
  const size_t arrow = equation.find("->");
  const std::string lhs = equation.substr(0, arrow);
  std::vector<std::vector<int>> terms;
  for (size_t start = 0;;) {
    const size_t comma = lhs.find(',', start);
    terms.push_back(parse_term(std::string_view(lhs).substr(start, comma - start), start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  EMBER_CHECK(terms.size() == operands.size(), RuntimeError, "[einsum] ",
              terms.size() < operands.size() ? "more operands were provided than specified in the equation"
                                             : "fewer operands were provided than were specified in the equation");
  const DType dt = operands[0].dtype();
  for (const Tensor& t : operands)
    EMBER_CHECK(t.dtype() == dt, RuntimeError, "[einsum] expected all operands to have the same dtype, but got ",
                dtype_name(dt), " and ", dtype_name(t.dtype()));

  // Ellipsis dims become labels kLetters.. aligned to the right.
  int64_t n_ell = 0;
  for (size_t i = 0; i < terms.size(); ++i) {
    const int64_t letters = std::count_if(terms[i].begin(), terms[i].end(), [](int l) { return l >= 0; });
    const bool has_ell = letters != int64_t(terms[i].size());
    EMBER_CHECK(has_ell ? operands[i].dim() >= letters : operands[i].dim() == letters, RuntimeError,
                "[einsum] the number of subscripts in the equation (", letters,
                ") does not match the number of dimensions (", operands[i].dim(), ") for operand ", i,
                has_ell ? "" : " and no ellipsis was given");
    if (has_ell) n_ell = std::max(n_ell, operands[i].dim() - letters);
  }
  std::vector<int> count(kLetters + n_ell, 0);
  std::vector<int64_t> size(kLetters + n_ell, 1);
  std::vector<Term> ts;
  for (size_t i = 0; i < terms.size(); ++i) {
    Term term{operands[i], {}};
    const int64_t e = operands[i].dim() - (int64_t(terms[i].size()) - (index_of(terms[i], kEllipsis) >= 0));
    for (int l : terms[i]) {
      if (l == kEllipsis) {
        for (int64_t j = 0; j < e; ++j) term.labels.push_back(int(kLetters + n_ell - e + j));
      } else {
        term.labels.push_back(l);
      }
    }
    for (size_t d = 0; d < term.labels.size(); ++d) {
      const int l = term.labels[d];
      const int64_t s = operands[i].size(int64_t(d));
      ++count[l];
      EMBER_CHECK(s == size[l] || s == 1 || size[l] == 1, RuntimeError, "[einsum] subscript ",
                  l < kLetters ? std::string(1, letter_of(l)) : std::string("..."), " has size ", s,
                  " for operand ", i, " which does not broadcast with previously seen size ", size[l]);
      if (s != 1) size[l] = s;
    }
    // A subscript repeated within an operand takes the diagonal.
    for (size_t p = 0; p < term.labels.size(); ++p) {
      for (size_t q = p + 1; q < term.labels.size(); ++q) {
        if (term.labels[p] != term.labels[q]) continue;
        EMBER_CHECK(term.t.size(p) == term.t.size(q), RuntimeError, "[einsum] subscript ",
                    letter_of(term.labels[p]), " is repeated for operand ", i,
                    " but the sizes don't match, ", term.t.size(p), " != ", term.t.size(q));
        const int l = term.labels[p];
        term.t = term.t.diagonal(0, int64_t(p), int64_t(q));
        term.labels.erase(term.labels.begin() + q);
        term.labels.erase(term.labels.begin() + p);
        term.labels.push_back(l);
        p = size_t(-1);  // rescan
        break;
      }
    }
    ts.push_back(std::move(term));
  }

  std::vector<int> out_labels;
  if (arrow == std::string::npos) {
    for (int64_t j = 0; j < n_ell; ++j) out_labels.push_back(int(kLetters + j));
    for (int l = 0; l < kLetters; ++l)
      if (count[l] == 1) out_labels.push_back(l);
  } else {
    const std::vector<int> out_term = parse_term(std::string_view(equation).substr(arrow + 2), arrow + 2);
    for (int l : out_term) {
      if (l == kEllipsis) {
        for (int64_t j = 0; j < n_ell; ++j) out_labels.push_back(int(kLetters + j));
        continue;
      }
      EMBER_CHECK(count[l] > 0, RuntimeError, "[einsum] output subscript ", letter_of(l),
                  " does not appear in the equation for any input operand");
      EMBER_CHECK(index_of(out_labels, l) < 0, RuntimeError, "[einsum] output subscript ", letter_of(l),
                  " appears more than once in the output");
      out_labels.push_back(l);
    }
  }

  std::vector<bool> in_out(kLetters + n_ell, false);
  for (int l : out_labels) in_out[l] = true;
  Term acc = std::move(ts[0]);
  for (size_t i = 1; i < ts.size(); ++i) {
    std::vector<bool> keep = in_out;
    for (size_t j = i + 1; j < ts.size(); ++j)
      for (int l : ts[j].labels) keep[l] = true;
    acc = contract(std::move(acc), std::move(ts[i]), keep, dt);
  }
  acc = sum_unneeded(std::move(acc), in_out, dt);
  // Output order; a broadcast label that ended with size 1 expands to its
  // size across operands.
  DimVector perm, shape;
  for (int l : out_labels) perm.push_back(index_of(acc.labels, l)), shape.push_back(size[l]);
  Tensor out = acc.t.permute(perm);
  for (int64_t d = 0; d < out.dim(); ++d)
    if (out.size(d) != shape[d]) return out.expand(shape).contiguous();
  return out;
}

}  // namespace ember
