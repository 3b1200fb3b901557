import { runBehaviourCases } from './cases';
import { expressDriver } from './express-driver';

runBehaviourCases(expressDriver);
