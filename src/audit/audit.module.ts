import { Module } from '@nestjs/common';
import { AuditResolver } from './audit.resolver';
import { TownshipOverviewQueries } from './overview/township-overview.queries';
import { TownshipOverviewResolver } from './overview/township-overview.resolver';
import { AuditTrailQueries } from './read-model/audit-trail.queries';

@Module({
  providers: [AuditTrailQueries, AuditResolver, TownshipOverviewQueries, TownshipOverviewResolver],
})
export class AuditModule {}
