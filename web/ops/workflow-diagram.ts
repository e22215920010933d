/** The diagram moved to web/shared (the merchant console draws it too). */
export * from '../shared/workflow-diagram';
