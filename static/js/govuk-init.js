// Patch: initialise GOV.UK Frontend components. Load with
// <script type="module" src="/static/js/govuk-init.js"></script>
// after app.js (which adds the `govuk-frontend-supported` class to <body>).
import { initAll } from '/static/vendor/govuk-frontend/govuk-frontend.min.js';

initAll();
