/* global document, fetch, localStorage, URL, window, React, ReactDOM, GraphiQL, GraphiQLPluginExplorer */
// Starts GraphiQL in the page served at /explorer. Loaded as a file, never inline, so the page's
// Content-Security-Policy can forbid inline scripts. Settings come from the JSON named by data-config.
'use strict';

/**
 * GraphiQL 3.8 wipes its stored copy of the active tab's headers on every start, so the next start no
 * longer recognises the active tab and opens a duplicate without headers. Put them back from the
 * stored tabs (where they are kept too) before GraphiQL reads them.
 */
function restoreActiveTabHeaders() {
  try {
    const stored = JSON.parse(localStorage.getItem('graphiql:tabState'));
    const headers = stored && stored.tabs[stored.activeTabIndex].headers;
    if (headers && !localStorage.getItem('graphiql:headers')) localStorage.setItem('graphiql:headers', headers);
  } catch {
    // Nothing usable stored: GraphiQL starts from the default tabs.
  }
}

(function start() {
  const root = document.getElementById('graphiql');
  restoreActiveTabHeaders();
  fetch(root.dataset.config)
    .then((response) => {
      if (!response.ok) throw new Error(`settings: HTTP ${response.status}`);
      return response.json();
    })
    .then((settings) => {
      const explorer = GraphiQLPluginExplorer.explorerPlugin();
      const url = new URL(settings.graphqlPath, window.location.href);
      // Subscriptions go over graphql-ws on the same path; the tab's headers become connection_init's payload.
      const subscriptionUrl = `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}${url.pathname}`;
      const fetcher = GraphiQL.createFetcher({ url: url.href, subscriptionUrl });
      ReactDOM.createRoot(root).render(
        React.createElement(GraphiQL, {
          fetcher,
          plugins: [explorer],
          visiblePlugin: explorer,
          defaultTabs: settings.tabs,
          isHeadersEditorEnabled: true,
          shouldPersistHeaders: true,
          defaultEditorToolsVisibility: 'headers',
        }),
      );
    })
    .catch((error) => {
      root.textContent = `The explorer failed to start: ${error.message}`;
    });
})();
