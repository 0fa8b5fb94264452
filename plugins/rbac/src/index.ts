export { rbacPlugin } from './plugin';
export { NativeSignInPage } from './components/NativeSignInPage';
