import { createRoot } from 'react-dom/client';
import { app } from './App';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
createRoot(container).render(app.createRoot());
