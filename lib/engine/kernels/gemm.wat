;; C = A @ B in float64 with 128-bit SIMD: the matmul kernel behind lib/ops.ts.
;;
;; This is the same loop as the plain-TypeScript kernel in gemm.ts (a 4x4 block of C held in
;; registers while p runs down the shared dimension), written so that each instruction works on
;; two neighbouring columns of C at once. Every element is still summed one product at a time in
;; the order p = 0, 1, ..., k-1, with a multiply and then an add (no fused multiply-add), so both
;; kernels give the same bits; gemm.test.ts checks that they do.
;;
;; Layout, all offsets in bytes into the exported memory:
;;   A(i,p) is the float64 at  a + i*ars + p*acs   (any strides: A or A^T as stored)
;;   B(p,j) is the float64 at  b + (p*n + j)*8     (row-major, as stored or packed by gemm.ts)
;;   C(i,j) goes to            c + (i*n + j)*8     (row-major)
;; mp is a multiple of 4: gemm.ts gives A rows past m that read A's own values or zeros, and C
;; room for those rows, which it drops. n is any width: the columns past the last block of four
;; are summed one at a time (the same multiply and add per element as in the blocks), so that B
;; and C need no padding and gemm.ts moves each with one copy.
;;
;; With a bias (its offset, or -1 for none), bias(j) is added to every C(i,j) after the sum, as
;; `c + bias` would add it afterwards: a Linear layer's output in one pass.
;;
;; `transpose` packs B for A@B^T: gemm.ts copies B^T as stored (n rows of k) in one copy and this
;; writes it out as B, row-major k x n, at native speed rather than one element at a time in
;; JavaScript.
;;
;; `bn_forward` and `bn_backward`, at the end, are BatchNorm's loops (layers/batchnorm.ts).
;;
;; Assembled by `npm run build:kernels` into gemm-wasm.ts.
(module
  (memory (export "memory") 1)
  (func (export "gemm")
    (param $a i32) (param $ars i32) (param $acs i32) (param $b i32) (param $c i32)
    (param $mp i32) (param $k i32) (param $n i32) (param $bias i32)
    (local $i i32) (local $j i32) (local $p i32) (local $rowBytes i32)
    (local $pa0 i32) (local $pa1 i32) (local $pa2 i32) (local $pa3 i32) (local $pb i32) (local $pc i32)
    ;; the 4x4 block of C: row r, columns j..j+1 in $cr0 and j+2..j+3 in $cr1
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    ;; a column past the last block: rows i..i+3 one at a time
    (local $s0 f64) (local $s1 f64) (local $s2 f64) (local $s3 f64) (local $bv f64)
    (if (i32.or (i32.eqz (local.get $mp)) (i32.eqz (local.get $n))) (then (return)))
    (local.set $rowBytes (i32.shl (local.get $n) (i32.const 3)))
    (loop $rows
      (local.set $j (i32.const 0))
      ;; blocks of four columns
      (block $blocksDone
        (loop $cols
          (br_if $blocksDone (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $n)))
          (local.set $c00 (v128.const f64x2 0 0)) (local.set $c01 (v128.const f64x2 0 0))
          (local.set $c10 (v128.const f64x2 0 0)) (local.set $c11 (v128.const f64x2 0 0))
          (local.set $c20 (v128.const f64x2 0 0)) (local.set $c21 (v128.const f64x2 0 0))
          (local.set $c30 (v128.const f64x2 0 0)) (local.set $c31 (v128.const f64x2 0 0))
          (local.set $pa0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $ars))))
          (local.set $pa1 (i32.add (local.get $pa0) (local.get $ars)))
          (local.set $pa2 (i32.add (local.get $pa1) (local.get $ars)))
          (local.set $pa3 (i32.add (local.get $pa2) (local.get $ars)))
          (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))))
          (local.set $p (local.get $k))
          (if (local.get $p) (then
            (loop $inner
              (local.set $b0 (v128.load (local.get $pb)))
              (local.set $b1 (v128.load offset=16 (local.get $pb)))
              (local.set $x (v128.load64_splat (local.get $pa0)))
              (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x) (local.get $b0))))
              (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $x) (local.get $b1))))
              (local.set $x (v128.load64_splat (local.get $pa1)))
              (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $x) (local.get $b0))))
              (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $x) (local.get $b1))))
              (local.set $x (v128.load64_splat (local.get $pa2)))
              (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $x) (local.get $b0))))
              (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $x) (local.get $b1))))
              (local.set $x (v128.load64_splat (local.get $pa3)))
              (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $x) (local.get $b0))))
              (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $x) (local.get $b1))))
              (local.set $pa0 (i32.add (local.get $pa0) (local.get $acs)))
              (local.set $pa1 (i32.add (local.get $pa1) (local.get $acs)))
              (local.set $pa2 (i32.add (local.get $pa2) (local.get $acs)))
              (local.set $pa3 (i32.add (local.get $pa3) (local.get $acs)))
              (local.set $pb (i32.add (local.get $pb) (local.get $rowBytes)))
              (br_if $inner (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))))
          (if (i32.ge_s (local.get $bias) (i32.const 0)) (then
            (local.set $pb (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3))))
            (local.set $b0 (v128.load (local.get $pb)))
            (local.set $b1 (v128.load offset=16 (local.get $pb)))
            (local.set $c00 (f64x2.add (local.get $c00) (local.get $b0)))
            (local.set $c01 (f64x2.add (local.get $c01) (local.get $b1)))
            (local.set $c10 (f64x2.add (local.get $c10) (local.get $b0)))
            (local.set $c11 (f64x2.add (local.get $c11) (local.get $b1)))
            (local.set $c20 (f64x2.add (local.get $c20) (local.get $b0)))
            (local.set $c21 (f64x2.add (local.get $c21) (local.get $b1)))
            (local.set $c30 (f64x2.add (local.get $c30) (local.get $b0)))
            (local.set $c31 (f64x2.add (local.get $c31) (local.get $b1)))))
          (local.set $pc (i32.add (local.get $c)
            (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 3))))
          (v128.store (local.get $pc) (local.get $c00)) (v128.store offset=16 (local.get $pc) (local.get $c01))
          (local.set $pc (i32.add (local.get $pc) (local.get $rowBytes)))
          (v128.store (local.get $pc) (local.get $c10)) (v128.store offset=16 (local.get $pc) (local.get $c11))
          (local.set $pc (i32.add (local.get $pc) (local.get $rowBytes)))
          (v128.store (local.get $pc) (local.get $c20)) (v128.store offset=16 (local.get $pc) (local.get $c21))
          (local.set $pc (i32.add (local.get $pc) (local.get $rowBytes)))
          (v128.store (local.get $pc) (local.get $c30)) (v128.store offset=16 (local.get $pc) (local.get $c31))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br $cols)))
      ;; the last n mod 4 columns, one at a time
      (block $tailDone
        (loop $tail
          (br_if $tailDone (i32.ge_u (local.get $j) (local.get $n)))
          (local.set $s0 (f64.const 0)) (local.set $s1 (f64.const 0))
          (local.set $s2 (f64.const 0)) (local.set $s3 (f64.const 0))
          (local.set $pa0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $ars))))
          (local.set $pa1 (i32.add (local.get $pa0) (local.get $ars)))
          (local.set $pa2 (i32.add (local.get $pa1) (local.get $ars)))
          (local.set $pa3 (i32.add (local.get $pa2) (local.get $ars)))
          (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))))
          (local.set $p (local.get $k))
          (if (local.get $p) (then
            (loop $tailInner
              (local.set $bv (f64.load (local.get $pb)))
              (local.set $s0 (f64.add (local.get $s0) (f64.mul (f64.load (local.get $pa0)) (local.get $bv))))
              (local.set $s1 (f64.add (local.get $s1) (f64.mul (f64.load (local.get $pa1)) (local.get $bv))))
              (local.set $s2 (f64.add (local.get $s2) (f64.mul (f64.load (local.get $pa2)) (local.get $bv))))
              (local.set $s3 (f64.add (local.get $s3) (f64.mul (f64.load (local.get $pa3)) (local.get $bv))))
              (local.set $pa0 (i32.add (local.get $pa0) (local.get $acs)))
              (local.set $pa1 (i32.add (local.get $pa1) (local.get $acs)))
              (local.set $pa2 (i32.add (local.get $pa2) (local.get $acs)))
              (local.set $pa3 (i32.add (local.get $pa3) (local.get $acs)))
              (local.set $pb (i32.add (local.get $pb) (local.get $rowBytes)))
              (br_if $tailInner (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))))
          (if (i32.ge_s (local.get $bias) (i32.const 0)) (then
            (local.set $bv (f64.load (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 3)))))
            (local.set $s0 (f64.add (local.get $s0) (local.get $bv)))
            (local.set $s1 (f64.add (local.get $s1) (local.get $bv)))
            (local.set $s2 (f64.add (local.get $s2) (local.get $bv)))
            (local.set $s3 (f64.add (local.get $s3) (local.get $bv)))))
          (local.set $pc (i32.add (local.get $c)
            (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 3))))
          (f64.store (local.get $pc) (local.get $s0))
          (local.set $pc (i32.add (local.get $pc) (local.get $rowBytes)))
          (f64.store (local.get $pc) (local.get $s1))
          (local.set $pc (i32.add (local.get $pc) (local.get $rowBytes)))
          (f64.store (local.get $pc) (local.get $s2))
          (local.set $pc (i32.add (local.get $pc) (local.get $rowBytes)))
          (f64.store (local.get $pc) (local.get $s3))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $tail)))
      (br_if $rows (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4))) (local.get $mp)))))
  ;; dst(c, r) = src(r, c): src is rows x cols, dst is cols x rows, both row-major float64
  (func (export "transpose") (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $c i32) (local $ps i32) (local $pd i32) (local $dstRowBytes i32)
    (if (i32.or (i32.eqz (local.get $rows)) (i32.eqz (local.get $cols))) (then (return)))
    (local.set $dstRowBytes (i32.shl (local.get $rows) (i32.const 3)))
    (local.set $ps (local.get $src))
    (loop $rowsLoop
      (local.set $pd (i32.add (local.get $dst) (i32.shl (local.get $r) (i32.const 3))))
      (local.set $c (local.get $cols))
      (loop $colsLoop
        (f64.store (local.get $pd) (f64.load (local.get $ps)))
        (local.set $ps (i32.add (local.get $ps) (i32.const 8)))
        (local.set $pd (i32.add (local.get $pd) (local.get $dstRowBytes)))
        (br_if $colsLoop (local.tee $c (i32.sub (local.get $c) (i32.const 1)))))
      (br_if $rowsLoop (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $rows)))))
  ;; BatchNorm's training-mode forward over a batch x (m rows of n features), the loops of
  ;; layers/batchnorm.ts with two neighbouring features an instruction: every feature's sums still
  ;; run over the rows in order, with the same operations, so the bits are the loops' own (checked
  ;; by batchnorm.test.ts). mean, var and invStd are n each and must start at zero.
  (func (export "bn_forward")
    (param $x i32) (param $m i32) (param $n i32) (param $eps f64) (param $mean i32) (param $var i32)
    (param $invStd i32) (param $gamma i32) (param $beta i32) (param $xhat i32) (param $out i32)
    (local $i i32) (local $j i32) (local $r i32) (local $o i32) (local $rowBytes i32)
    (local $d v128) (local $ds f64) (local $mv v128) (local $ms f64)
    (local.set $rowBytes (i32.shl (local.get $n) (i32.const 3)))
    (local.set $ms (f64.convert_i32_u (local.get $m)))
    (local.set $mv (f64x2.splat (local.get $ms)))
      (local.set $i (i32.const 0))
      (local.set $r (i32.const 0))
      (block $rowsDone
        (loop $rows
          (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $m)))
      (local.set $j (i32.const 0))
      (block $meanColsDone
        (loop $meanCols
          (br_if $meanColsDone (i32.gt_u (i32.add (local.get $j) (i32.const 2)) (local.get $n)))
          (local.set $o (i32.shl (local.get $j) (i32.const 3)))
          (v128.store (i32.add (local.get $mean) (local.get $o)) (f64x2.add (v128.load (i32.add (local.get $mean) (local.get $o))) (v128.load (i32.add (local.get $x) (i32.add (local.get $r) (local.get $o))))))
          (local.set $j (i32.add (local.get $j) (i32.const 2)))
          (br $meanCols)))
      (if (i32.lt_u (local.get $j) (local.get $n)) (then
        (local.set $o (i32.shl (local.get $j) (i32.const 3)))
        (f64.store (i32.add (local.get $mean) (local.get $o)) (f64.add (f64.load (i32.add (local.get $mean) (local.get $o))) (f64.load (i32.add (local.get $x) (i32.add (local.get $r) (local.get $o))))))))

          (local.set $r (i32.add (local.get $r) (local.get $rowBytes)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $rows)))
      (local.set $j (i32.const 0))
      (block $meanDivDone
        (loop $meanDiv
          (br_if $meanDivDone (i32.gt_u (i32.add (local.get $j) (i32.const 2)) (local.get $n)))
          (local.set $o (i32.shl (local.get $j) (i32.const 3)))
          (v128.store (i32.add (local.get $mean) (local.get $o)) (f64x2.div (v128.load (i32.add (local.get $mean) (local.get $o))) (local.get $mv)))
          (local.set $j (i32.add (local.get $j) (i32.const 2)))
          (br $meanDiv)))
      (if (i32.lt_u (local.get $j) (local.get $n)) (then
        (local.set $o (i32.shl (local.get $j) (i32.const 3)))
        (f64.store (i32.add (local.get $mean) (local.get $o)) (f64.div (f64.load (i32.add (local.get $mean) (local.get $o))) (local.get $ms)))))
      (local.set $i (i32.const 0))
      (local.set $r (i32.const 0))
      (block $rowsDone
        (loop $rows
          (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $m)))
      (local.set $j (i32.const 0))
      (block $varColsDone
        (loop $varCols
          (br_if $varColsDone (i32.gt_u (i32.add (local.get $j) (i32.const 2)) (local.get $n)))
          (local.set $o (i32.shl (local.get $j) (i32.const 3)))
          (local.set $d (f64x2.sub (v128.load (i32.add (local.get $x) (i32.add (local.get $r) (local.get $o)))) (v128.load (i32.add (local.get $mean) (local.get $o)))))
          (v128.store (i32.add (local.get $var) (local.get $o)) (f64x2.add (v128.load (i32.add (local.get $var) (local.get $o))) (f64x2.mul (local.get $d) (local.get $d))))
          (local.set $j (i32.add (local.get $j) (i32.const 2)))
          (br $varCols)))
      (if (i32.lt_u (local.get $j) (local.get $n)) (then
        (local.set $o (i32.shl (local.get $j) (i32.const 3)))
        (local.set $ds (f64.sub (f64.load (i32.add (local.get $x) (i32.add (local.get $r) (local.get $o)))) (f64.load (i32.add (local.get $mean) (local.get $o)))))
        (f64.store (i32.add (local.get $var) (local.get $o)) (f64.add (f64.load (i32.add (local.get $var) (local.get $o))) (f64.mul (local.get $ds) (local.get $ds))))))

          (local.set $r (i32.add (local.get $r) (local.get $rowBytes)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $rows)))
      (local.set $j (i32.const 0))
      (block $varDivDone
        (loop $varDiv
          (br_if $varDivDone (i32.gt_u (i32.add (local.get $j) (i32.const 2)) (local.get $n)))
          (local.set $o (i32.shl (local.get $j) (i32.const 3)))
          (local.set $d (f64x2.div (v128.load (i32.add (local.get $var) (local.get $o))) (local.get $mv)))
          (v128.store (i32.add (local.get $var) (local.get $o)) (local.get $d))
          (v128.store (i32.add (local.get $invStd) (local.get $o)) (f64x2.div (f64x2.splat (f64.const 1)) (f64x2.sqrt (f64x2.add (local.get $d) (f64x2.splat (local.get $eps))))))
          (local.set $j (i32.add (local.get $j) (i32.const 2)))
          (br $varDiv)))
      (if (i32.lt_u (local.get $j) (local.get $n)) (then
        (local.set $o (i32.shl (local.get $j) (i32.const 3)))
        (local.set $ds (f64.div (f64.load (i32.add (local.get $var) (local.get $o))) (local.get $ms)))
        (f64.store (i32.add (local.get $var) (local.get $o)) (local.get $ds))
        (f64.store (i32.add (local.get $invStd) (local.get $o)) (f64.div (f64.const 1) (f64.sqrt (f64.add (local.get $ds) (local.get $eps)))))))
      (local.set $i (i32.const 0))
      (local.set $r (i32.const 0))
      (block $rowsDone
        (loop $rows
          (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $m)))
      (local.set $j (i32.const 0))
      (block $normColsDone
        (loop $normCols
          (br_if $normColsDone (i32.gt_u (i32.add (local.get $j) (i32.const 2)) (local.get $n)))
          (local.set $o (i32.shl (local.get $j) (i32.const 3)))
          (local.set $d (f64x2.mul (f64x2.sub (v128.load (i32.add (local.get $x) (i32.add (local.get $r) (local.get $o)))) (v128.load (i32.add (local.get $mean) (local.get $o)))) (v128.load (i32.add (local.get $invStd) (local.get $o)))))
          (v128.store (i32.add (local.get $xhat) (i32.add (local.get $r) (local.get $o))) (local.get $d))
          (v128.store (i32.add (local.get $out) (i32.add (local.get $r) (local.get $o))) (f64x2.add (f64x2.mul (v128.load (i32.add (local.get $gamma) (local.get $o))) (local.get $d)) (v128.load (i32.add (local.get $beta) (local.get $o)))))
          (local.set $j (i32.add (local.get $j) (i32.const 2)))
          (br $normCols)))
      (if (i32.lt_u (local.get $j) (local.get $n)) (then
        (local.set $o (i32.shl (local.get $j) (i32.const 3)))
        (local.set $ds (f64.mul (f64.sub (f64.load (i32.add (local.get $x) (i32.add (local.get $r) (local.get $o)))) (f64.load (i32.add (local.get $mean) (local.get $o)))) (f64.load (i32.add (local.get $invStd) (local.get $o)))))
        (f64.store (i32.add (local.get $xhat) (i32.add (local.get $r) (local.get $o))) (local.get $ds))
        (f64.store (i32.add (local.get $out) (i32.add (local.get $r) (local.get $o))) (f64.add (f64.mul (f64.load (i32.add (local.get $gamma) (local.get $o))) (local.get $ds)) (f64.load (i32.add (local.get $beta) (local.get $o)))))))

          (local.set $r (i32.add (local.get $r) (local.get $rowBytes)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $rows)))
  )

  ;; BatchNorm's backward through the batch statistics, the loops of layers/batchnorm.ts in the same
  ;; way: dgamma, dbeta and scale are n each and must start at zero.
  (func (export "bn_backward")
    (param $g i32) (param $xhat i32) (param $invStd i32) (param $gamma i32) (param $m i32) (param $n i32)
    (param $dgamma i32) (param $dbeta i32) (param $scale i32) (param $dx i32)
    (local $i i32) (local $j i32) (local $r i32) (local $o i32) (local $rowBytes i32)
    (local $d v128) (local $ds f64) (local $mv v128) (local $ms f64)
    (local.set $rowBytes (i32.shl (local.get $n) (i32.const 3)))
    (local.set $ms (f64.convert_i32_u (local.get $m)))
    (local.set $mv (f64x2.splat (local.get $ms)))
      (local.set $i (i32.const 0))
      (local.set $r (i32.const 0))
      (block $rowsDone
        (loop $rows
          (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $m)))
      (local.set $j (i32.const 0))
      (block $sumColsDone
        (loop $sumCols
          (br_if $sumColsDone (i32.gt_u (i32.add (local.get $j) (i32.const 2)) (local.get $n)))
          (local.set $o (i32.shl (local.get $j) (i32.const 3)))
          (local.set $d (v128.load (i32.add (local.get $g) (i32.add (local.get $r) (local.get $o)))))
          (v128.store (i32.add (local.get $dbeta) (local.get $o)) (f64x2.add (v128.load (i32.add (local.get $dbeta) (local.get $o))) (local.get $d)))
          (v128.store (i32.add (local.get $dgamma) (local.get $o)) (f64x2.add (v128.load (i32.add (local.get $dgamma) (local.get $o))) (f64x2.mul (local.get $d) (v128.load (i32.add (local.get $xhat) (i32.add (local.get $r) (local.get $o)))))))
          (local.set $j (i32.add (local.get $j) (i32.const 2)))
          (br $sumCols)))
      (if (i32.lt_u (local.get $j) (local.get $n)) (then
        (local.set $o (i32.shl (local.get $j) (i32.const 3)))
        (local.set $ds (f64.load (i32.add (local.get $g) (i32.add (local.get $r) (local.get $o)))))
        (f64.store (i32.add (local.get $dbeta) (local.get $o)) (f64.add (f64.load (i32.add (local.get $dbeta) (local.get $o))) (local.get $ds)))
        (f64.store (i32.add (local.get $dgamma) (local.get $o)) (f64.add (f64.load (i32.add (local.get $dgamma) (local.get $o))) (f64.mul (local.get $ds) (f64.load (i32.add (local.get $xhat) (i32.add (local.get $r) (local.get $o)))))))))

          (local.set $r (i32.add (local.get $r) (local.get $rowBytes)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $rows)))
      (local.set $j (i32.const 0))
      (block $scaleColsDone
        (loop $scaleCols
          (br_if $scaleColsDone (i32.gt_u (i32.add (local.get $j) (i32.const 2)) (local.get $n)))
          (local.set $o (i32.shl (local.get $j) (i32.const 3)))
          (v128.store (i32.add (local.get $scale) (local.get $o)) (f64x2.div (f64x2.mul (v128.load (i32.add (local.get $gamma) (local.get $o))) (v128.load (i32.add (local.get $invStd) (local.get $o)))) (local.get $mv)))
          (local.set $j (i32.add (local.get $j) (i32.const 2)))
          (br $scaleCols)))
      (if (i32.lt_u (local.get $j) (local.get $n)) (then
        (local.set $o (i32.shl (local.get $j) (i32.const 3)))
        (f64.store (i32.add (local.get $scale) (local.get $o)) (f64.div (f64.mul (f64.load (i32.add (local.get $gamma) (local.get $o))) (f64.load (i32.add (local.get $invStd) (local.get $o)))) (local.get $ms)))))
      (local.set $i (i32.const 0))
      (local.set $r (i32.const 0))
      (block $rowsDone
        (loop $rows
          (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $m)))
      (local.set $j (i32.const 0))
      (block $dxColsDone
        (loop $dxCols
          (br_if $dxColsDone (i32.gt_u (i32.add (local.get $j) (i32.const 2)) (local.get $n)))
          (local.set $o (i32.shl (local.get $j) (i32.const 3)))
          (v128.store (i32.add (local.get $dx) (i32.add (local.get $r) (local.get $o)))
          (f64x2.mul (v128.load (i32.add (local.get $scale) (local.get $o)))
          (f64x2.sub
          (f64x2.sub (f64x2.mul (local.get $mv) (v128.load (i32.add (local.get $g) (i32.add (local.get $r) (local.get $o))))) (v128.load (i32.add (local.get $dbeta) (local.get $o))))
          (f64x2.mul (v128.load (i32.add (local.get $xhat) (i32.add (local.get $r) (local.get $o)))) (v128.load (i32.add (local.get $dgamma) (local.get $o)))))))
          (local.set $j (i32.add (local.get $j) (i32.const 2)))
          (br $dxCols)))
      (if (i32.lt_u (local.get $j) (local.get $n)) (then
        (local.set $o (i32.shl (local.get $j) (i32.const 3)))
        (f64.store (i32.add (local.get $dx) (i32.add (local.get $r) (local.get $o)))
        (f64.mul (f64.load (i32.add (local.get $scale) (local.get $o)))
        (f64.sub
        (f64.sub (f64.mul (local.get $ms) (f64.load (i32.add (local.get $g) (i32.add (local.get $r) (local.get $o))))) (f64.load (i32.add (local.get $dbeta) (local.get $o))))
        (f64.mul (f64.load (i32.add (local.get $xhat) (i32.add (local.get $r) (local.get $o)))) (f64.load (i32.add (local.get $dgamma) (local.get $o)))))))))

          (local.set $r (i32.add (local.get $r) (local.get $rowBytes)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $rows)))
  )
)
