export { explorerRoutes, type ExplorerOptions } from './explorer-routes';
