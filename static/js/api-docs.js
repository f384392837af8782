// The API docs page: Swagger UI reading the generated OpenAPI document.
(function () {
  "use strict";
  const target = document.getElementById("api-reference");
  if (!target || !window.SwaggerUIBundle) return;
  window.SwaggerUIBundle({
    url: target.dataset.url,
    domNode: target,
    deepLinking: true,
    tryItOutEnabled: false,
    persistAuthorization: false,
    validatorUrl: null, // the default badge would call a public validator
  });
})();
