// Response headers for the pages the router serves to browsers (the explorer, the web app).
// Everything comes from the router itself; no inline or eval'd script. Styles need 'unsafe-inline':
// GraphiQL's dialogs and Mantine's components add <style> elements and style attributes. Fonts and
// icons are data: URLs. connect-src 'self' covers the same-origin graphql-ws socket.
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const BROWSER_SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};
