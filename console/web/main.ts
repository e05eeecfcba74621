import './styles.css';
import './shell/xs-app.js';
