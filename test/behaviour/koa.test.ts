import { runBehaviourCases } from './cases';
import { koaDriver } from './koa-driver';

runBehaviourCases(koaDriver);
