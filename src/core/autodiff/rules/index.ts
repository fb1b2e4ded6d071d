// Registers every gradient rule (import for side effects).
import './elementwise';
import './linear';
import './nn';
import './reduce';
import './layout';
