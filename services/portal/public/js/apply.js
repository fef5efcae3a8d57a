/*
 * The application form, checked as it is filled: required fields when left, the e-mail address,
 * the Lithuanian company code's check digit as it is typed (company-code.js), activity codes
 * against the list. The messages come from the page (data-message attributes, from the locale
 * files); the server checks everything again through the API. Also: "add another activity",
 * and the error summary gets the focus after a refused post, as GOV.UK's pattern does.
 */
(function () {
  'use strict';
  var form = document.querySelector('[data-apply-form]');
  if (!form) return;
  document.documentElement.classList.add('js');

  var summary = document.querySelector('[data-error-summary]');
  if (summary) summary.focus();

  var naceCodes = {};
  var list = document.getElementById('nace');
  if (list) {
    for (var i = 0; i < list.options.length; i++) naceCodes[list.options[i].value] = true;
  }

  function show(input, message) {
    var field = input.closest('.field');
    var error = field && field.querySelector('.field-error');
    if (message) {
      input.setAttribute('aria-invalid', 'true');
      if (error) {
        error.textContent = message;
        error.hidden = false;
      }
      if (field) field.classList.add('field--error');
    } else {
      input.removeAttribute('aria-invalid');
      if (field && field.querySelector('[aria-invalid="true"]')) return;
      if (error) {
        error.textContent = '';
        error.hidden = true;
      }
      if (field) field.classList.remove('field--error');
    }
  }

  function country() {
    var select = form.querySelector('[name="country"]');
    return select ? select.value : 'LT';
  }

  function problem(input, typing) {
    var value = input.value.trim();
    switch (input.getAttribute('data-check')) {
      case 'required':
        return value === '' && !typing ? input.getAttribute('data-message') : null;
      case 'email':
        return value !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) && !typing
          ? input.getAttribute('data-message')
          : null;
      case 'companyCode': {
        var code = value.replace(/\s+/g, '');
        if (country() !== 'LT' || code === '') return null;
        if (!/^\d{9}$/.test(code))
          return typing && /^\d{0,8}$/.test(code) ? null : input.getAttribute('data-message-length');
        return window.ValleyCompanyCode.isLithuanianCompanyCode(code) ? null : input.getAttribute('data-message');
      }
      case 'nace': {
        var typed = value.split(/\s/)[0].toUpperCase();
        return typed === '' || naceCodes[typed] || typing ? null : input.getAttribute('data-message');
      }
      default:
        return null;
    }
  }

  form.addEventListener('input', function (event) {
    var input = event.target;
    if (!input.hasAttribute || !input.hasAttribute('data-check')) return;
    // As it is typed: say so once a wrong value is complete, take the message away once it is right.
    var message = problem(input, true);
    if (message || input.getAttribute('aria-invalid') === 'true') show(input, message);
  });
  form.addEventListener(
    'blur',
    function (event) {
      var input = event.target;
      // Leaving a field for the submit button: the server answers for it, and a message appearing now
      // would move the button away from under the pointer.
      var next = event.relatedTarget;
      if (next && next.type === 'submit') return;
      if (input.hasAttribute && input.hasAttribute('data-check')) show(input, problem(input, false));
    },
    true,
  );
  form.addEventListener('change', function (event) {
    if (event.target && event.target.name === 'country') {
      var code = form.querySelector('[data-check="companyCode"]');
      if (code && code.value.trim() !== '') show(code, problem(code, false));
    }
  });

  var add = form.querySelector('[data-add-sector]');
  var inputs = form.querySelector('[data-sector-inputs]');
  if (add && inputs) {
    add.hidden = false;
    add.addEventListener('click', function () {
      var rows = inputs.querySelectorAll('.sector-input');
      if (rows.length >= 20) return;
      var row = rows[rows.length - 1].cloneNode(true);
      var number = rows.length + 1;
      var input = row.querySelector('input');
      var label = row.querySelector('label');
      input.id = 'sectorCodes-' + number;
      input.value = '';
      input.removeAttribute('aria-invalid');
      label.setAttribute('for', input.id);
      label.textContent = label.textContent.replace(/\d+/, String(number));
      inputs.appendChild(row);
      input.focus();
    });
  }
})();
