// Placeholder: the platform bootstrap replaces this.
export {};
