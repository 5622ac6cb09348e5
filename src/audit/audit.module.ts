import { Module } from '@nestjs/common';
import { AuditResolver } from './audit.resolver';
import { AuditTrailQueries } from './read-model/audit-trail.queries';

@Module({ providers: [AuditTrailQueries, AuditResolver] })
export class AuditModule {}
