/*
 * The Lithuanian company code's check digit, in the browser: the same rule as
 * libs/contracts/src/membership/lithuanian-company-code.ts (a unit test checks that the two
 * agree on every kind of code). The first eight digits weighted 1..8, modulo 11; when that is
 * 10, again with weights 3..9,1; when that is 10 too, the check digit is 0.
 */
(function (root) {
  'use strict';

  function weighted(digits, weights) {
    var sum = 0;
    for (var i = 0; i < weights.length; i++) sum += digits[i] * weights[i];
    return sum % 11;
  }

  function lithuanianCheckDigit(firstEight) {
    var digits = firstEight.split('').map(Number);
    var first = weighted(digits, [1, 2, 3, 4, 5, 6, 7, 8]);
    if (first !== 10) return first;
    var second = weighted(digits, [3, 4, 5, 6, 7, 8, 9, 1]);
    return second === 10 ? 0 : second;
  }

  function isLithuanianCompanyCode(code) {
    return (
      typeof code === 'string' && /^\d{9}$/.test(code) && lithuanianCheckDigit(code.slice(0, 8)) === Number(code[8])
    );
  }

  var api = { lithuanianCheckDigit: lithuanianCheckDigit, isLithuanianCompanyCode: isLithuanianCompanyCode };
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.ValleyCompanyCode = api;
})(this);
